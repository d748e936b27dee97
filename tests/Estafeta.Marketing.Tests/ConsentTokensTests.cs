using Estafeta.Marketing.Audience;
using Estafeta.Testing;

namespace Estafeta.Marketing.Tests;

public sealed class ConsentTokensTests
{
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    [Fact]
    public void A_token_is_accepted_for_its_purpose_only()
    {
        var tokens = new ConsentTokens(Key, new ManualTimeProvider());
        var token = tokens.Create(TokenPurpose.Unsubscribe, 42, 7);

        Assert.Equal(new ConsentToken(TokenPurpose.Unsubscribe, 42, 7, null), tokens.Verify(token, TokenPurpose.Unsubscribe));
        Assert.Null(tokens.Verify(token, TokenPurpose.Confirm));
        Assert.Null(tokens.Verify(token, TokenPurpose.Preferences));
    }

    [Fact]
    public void A_token_survives_being_uppercased_and_is_safe_in_a_mail_local_part()
    {
        var tokens = new ConsentTokens(Key, new ManualTimeProvider());
        var token = tokens.Create(TokenPurpose.Unsubscribe, 123456789, 12);

        Assert.True(token.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'));
        Assert.True(("unsubscribe+" + token).Length <= 64);
        Assert.NotNull(tokens.Verify(token.ToUpperInvariant(), TokenPurpose.Unsubscribe));
    }

    [Fact]
    public void A_changed_token_or_another_installations_key_is_refused()
    {
        var time = new ManualTimeProvider();
        var token = new ConsentTokens(Key, time).Create(TokenPurpose.Unsubscribe, 42, 7);

        Assert.Null(new ConsentTokens(Key, time).Verify(token.Replace("u42-", "u43-", StringComparison.Ordinal), TokenPurpose.Unsubscribe));
        Assert.Null(new ConsentTokens(new byte[32], time).Verify(token, TokenPurpose.Unsubscribe));
        Assert.Null(new ConsentTokens(Key, time).Verify("", TokenPurpose.Unsubscribe));
        Assert.Null(new ConsentTokens(Key, time).Verify("u1-2-0", TokenPurpose.Unsubscribe));
    }

    [Fact]
    public void A_confirmation_token_expires()
    {
        var time = new ManualTimeProvider();
        var tokens = new ConsentTokens(Key, time);
        var token = tokens.Create(TokenPurpose.Confirm, 1, 2, time.GetUtcNow().AddDays(7));

        time.Advance(TimeSpan.FromDays(6));
        Assert.NotNull(tokens.Verify(token, TokenPurpose.Confirm));
        time.Advance(TimeSpan.FromDays(2));
        Assert.Null(tokens.Verify(token, TokenPurpose.Confirm));
    }

    [Fact]
    public void The_installation_secret_is_created_once_with_owner_only_permissions()
    {
        var dir = Directory.CreateTempSubdirectory("estafeta-secret-").FullName;
        try
        {
            var first = ConsentSecret.LoadOrCreate(dir);
            var second = ConsentSecret.LoadOrCreate(dir);

            Assert.Equal(first, second);
            Assert.Equal(32, first.Length);
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir, ConsentSecret.FileName)));
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Unsubscribe_headers_carry_https_and_mailto_and_the_one_click_post()
    {
        var links = new AudienceLinks(() => new Uri("https://correo.ejemplo.es"), new ConsentTokens(Key, new ManualTimeProvider()), "mx.ejemplo.es");
        var list = new MailingList(7, "Boletín", "", false, "noticias@ejemplo.es", "", DateTimeOffset.UnixEpoch, new Dictionary<string, long>());

        var headers = UnsubscribeHeaders.For(links, 42, list);

        Assert.Matches("^<https://correo\\.ejemplo\\.es/unsubscribe/u42-7-0-[0-9a-f]{32}>, <mailto:unsubscribe\\+u42-7-0-[0-9a-f]{32}@ejemplo\\.es\\?subject=unsubscribe>$", headers.ListUnsubscribe);
        Assert.Equal("List-Unsubscribe=One-Click", headers.ListUnsubscribePost);
        Assert.Equal("u42-7-0-" + headers.ListUnsubscribe.Split("u42-7-0-")[1][..32], AudienceLinks.TokenOfAddress("unsubscribe+" + headers.ListUnsubscribe.Split("u42-7-0-")[1][..32].Insert(0, "u42-7-0-") + "@ejemplo.es"));
    }
}
