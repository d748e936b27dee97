using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class LoginCommandTests
{
    [Fact]
    public async Task Login_with_the_right_password_answers_ok_with_capabilities()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.ConnectAsync();
        var reply = await client.CommandAsync("LOGIN alice secret");
        Assert.StartsWith("A001 OK [CAPABILITY IMAP4rev1", reply.Tagged);
    }

    [Fact]
    public async Task Login_with_a_wrong_password_answers_authenticationfailed()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.ConnectAsync();
        Assert.Equal("A001 NO [AUTHENTICATIONFAILED] Invalid login or password", (await client.CommandAsync("LOGIN alice wrong")).Tagged);
        client.AssertOk(await client.CommandAsync("LOGIN alice secret"));
    }

    [Fact]
    public async Task Login_without_tls_is_refused_when_plaintext_is_off()
    {
        await using var server = ImapHarness.Start(o => o with { AllowPlaintextAuth = false });
        await using var client = await server.ConnectAsync();
        Assert.Contains("[PRIVACYREQUIRED]", (await client.CommandAsync("LOGIN alice secret")).Tagged);
    }

    [Fact]
    public async Task Too_many_sessions_for_one_account_are_refused_with_limit()
    {
        await using var server = ImapHarness.Start(o => o with { MaxSessionsPerAccount = 1 });
        await using var first = await server.LoginAsync();
        await using var second = await server.ConnectAsync();
        Assert.Contains("[LIMIT]", (await second.CommandAsync("LOGIN alice secret")).Tagged);
    }

    [Fact]
    public async Task A_blocked_address_is_refused_without_checking_the_password()
    {
        var throttle = new Estafeta.Net.LoginThrottle(TimeProvider.System, maxFailures: 2, firstDelay: TimeSpan.Zero, maxDelay: TimeSpan.Zero);
        await using var server = ImapHarness.Start(throttle: throttle);
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("LOGIN alice x");
        await client.CommandAsync("LOGIN alice y");
        Assert.Contains("[UNAVAILABLE]", (await client.CommandAsync("LOGIN alice secret")).Tagged);
    }

    [Fact]
    public async Task The_password_never_appears_in_the_transcript()
    {
        await using var server = ImapHarness.Start();
        await using (var client = await server.LoginAsync()) await client.CommandAsync("LOGOUT");
        var leaked = server.Log.Lines.Where(l => l.Contains("secret", StringComparison.Ordinal)).ToList();
        Assert.True(leaked.Count == 0, string.Join("\n", leaked));
    }
}
