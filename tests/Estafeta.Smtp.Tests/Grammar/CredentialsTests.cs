using Estafeta.Smtp.Auth;

namespace Estafeta.Smtp.Tests.Grammar;

public sealed class CredentialsTests
{
    [Fact]
    public void Credentials_never_show_the_password() =>
        Assert.DoesNotContain("secret", new Credentials("alice", "secret").ToString(), StringComparison.Ordinal);
}
