using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Commands;

public sealed class UserCommandTests
{
    [Fact]
    public async Task User_is_accepted_without_revealing_whether_the_account_exists()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.ConnectAsync();

        var known = await client.CommandAsync("USER alice");
        var unknown = await client.CommandAsync("USER nobody");

        Assert.Equal("+OK Send PASS", known);
        Assert.Equal(known, unknown);
    }

    [Fact]
    public async Task User_without_a_name_is_refused()
    {
        await using var server = Pop3Harness.Start();
        await using var client = await server.ConnectAsync();

        Assert.Equal("-ERR Syntax: USER name", await client.CommandAsync("USER"));
    }

    [Fact]
    public async Task User_before_tls_is_refused_with_the_auth_code_when_plaintext_login_is_not_allowed()
    {
        await using var server = Pop3Harness.Start(o => o with { AllowPlaintextAuth = false });
        await using var client = await server.ConnectAsync();

        var reply = await client.CommandAsync("USER alice");

        Assert.StartsWith("-ERR [AUTH] ", reply);
        Assert.Contains("STLS", reply);
    }

    [Fact]
    public async Task User_after_login_is_not_allowed()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.LoginAsync();

        Assert.Equal("-ERR USER is not allowed in the TRANSACTION state", await client.CommandAsync("USER bob"));
    }
}
