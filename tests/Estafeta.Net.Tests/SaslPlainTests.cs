using System.Text;

namespace Estafeta.Net.Tests;

public sealed class SaslPlainTests
{
    private static string Encode(string message) => Convert.ToBase64String(Encoding.UTF8.GetBytes(message));

    [Theory]
    [InlineData("\0alice\0secret", "alice", "secret")]
    [InlineData("alice\0alice\0secret", "alice", "secret")]
    [InlineData("\0alice@example.test\0pass word", "alice@example.test", "pass word")]
    [InlineData("\0josé\0contraseña", "josé", "contraseña")]
    public void Valid_responses_decode_into_login_and_password(string message, string login, string password)
    {
        Assert.True(SaslPlain.TryDecode(Encode(message), out var credentials, out _));
        Assert.Equal(login, credentials.Login);
        Assert.Equal(password, credentials.Password);
    }

    [Fact]
    public void The_rfc_4616_example_decodes()
    {
        Assert.True(SaslPlain.TryDecode("AHRpbQB0YW5zdGFhZnRhbnN0YWFm", out var credentials, out _));
        Assert.Equal(new SaslPlainCredentials("tim", "tanstaaftanstaaf"), credentials);
    }

    public static TheoryData<string, string> Invalid => new()
    {
        { "", "Empty SASL PLAIN response" },
        { "=", "Empty SASL PLAIN response" },
        { "not base64!", "SASL response is not valid base64" },
        { "AGFsaWNlAHNlY3JldA", "SASL response is not valid base64" },
        { "AGFsaWNl AHNlY3JldA==", "SASL response is not valid base64" },
        { "ñAGFsaWNlAHNlY3JldA==", "SASL response is not valid base64" },
        { Encode("alice secret"), "SASL PLAIN response must be authzid NUL authcid NUL passwd" },
        { Encode("\0alice"), "SASL PLAIN response must be authzid NUL authcid NUL passwd" },
        { Encode("\0alice\0sec\0ret"), "SASL PLAIN response must be authzid NUL authcid NUL passwd" },
        { Encode("\0\0secret"), "SASL PLAIN login and password must be non-empty UTF-8" },
        { Encode("\0alice\0"), "SASL PLAIN login and password must be non-empty UTF-8" },
        { Convert.ToBase64String([0, (byte)'a', 0, 0xC3, 0x28]), "SASL PLAIN login and password must be non-empty UTF-8" },
        { Encode("bob\0alice\0secret"), "Logging in as another user is not supported" },
        { Encode("\0alice\r\nforged log line\0secret"), "SASL PLAIN login and password may not hold CR or LF" },
        { Encode("\0alice\0sec\nret"), "SASL PLAIN login and password may not hold CR or LF" },
        { Encode("ali\rce\0alice\0secret"), "SASL PLAIN login and password may not hold CR or LF" },
    };

    [Fact]
    public void Credentials_never_show_the_password()
    {
        Assert.True(SaslPlain.TryDecode(Encode("\0alice\0s3cr3t"), out var credentials, out _));
        Assert.DoesNotContain("s3cr3t", credentials.ToString(), StringComparison.Ordinal);
        Assert.Contains("alice", credentials.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_foreign_authorization_identity_is_told_apart_with_the_login_it_came_with()
    {
        // SMTP answers it apart and records the refused login.
        Assert.Equal(SaslPlainStatus.AuthorizationIdentityMismatch, SaslPlain.TryParse("bob\0alice\0secret"u8, out var credentials, out _));
        Assert.Equal("alice", credentials!.Login);
    }

    [Theory]
    [MemberData(nameof(Invalid))]
    public void Invalid_responses_are_refused_with_a_reason(string encoded, string reason)
    {
        Assert.False(SaslPlain.TryDecode(encoded, out var credentials, out var error));
        Assert.Null(credentials);
        Assert.Equal(reason, error);
    }
}
