using System.Text;
using Estafeta.Smtp.Auth;
using SaslPlainStatus = Estafeta.Net.SaslPlainStatus;

namespace Estafeta.Smtp.Tests.Grammar;

public sealed class SaslPlainTests
{
    private static SaslPlainStatus Parse(string message, out Credentials credentials) =>
        SaslPlain.TryParse(Encoding.UTF8.GetBytes(message), out credentials);

    [Theory]
    [InlineData("\0alice\0secret", "alice", "secret")]
    [InlineData("alice\0alice\0secret", "alice", "secret")]
    [InlineData("\0josé@ejemplo.test\0contraseña", "josé@ejemplo.test", "contraseña")]
    [InlineData("\0alice\0pass word with spaces", "alice", "pass word with spaces")]
    public void Valid_messages_give_the_login_and_password(string message, string login, string password)
    {
        Assert.Equal(SaslPlainStatus.Ok, Parse(message, out var credentials));
        Assert.Equal(login, credentials.Login);
        Assert.Equal(password, credentials.Password);
    }

    [Theory]
    [InlineData("")]
    [InlineData("alice")]
    [InlineData("alice\0secret")]
    [InlineData("\0\0secret")]
    [InlineData("\0alice\0")]
    [InlineData("\0alice\0sec\0ret")]
    [InlineData("\0alice\r\nforged log line\0secret")]
    [InlineData("\0alice\0sec\nret")]
    [InlineData("alice\r\0alice\0secret")]
    public void Malformed_messages_are_refused(string message) =>
        Assert.Equal(SaslPlainStatus.Malformed, Parse(message, out _));

    [Fact]
    public void An_authorization_identity_other_than_the_login_is_refused() =>
        Assert.Equal(SaslPlainStatus.AuthorizationIdentityMismatch, Parse("bob\0alice\0secret", out _));

    [Fact]
    public void Invalid_utf8_is_malformed()
    {
        byte[] message = [0, (byte)'a', 0xff, 0, (byte)'p'];
        Assert.Equal(SaslPlainStatus.Malformed, SaslPlain.TryParse(message, out _));
    }

    [Fact]
    public void Credentials_never_show_the_password()
    {
        Parse("\0alice\0secret", out var credentials);
        Assert.DoesNotContain("secret", credentials.ToString(), StringComparison.Ordinal);
    }
}
