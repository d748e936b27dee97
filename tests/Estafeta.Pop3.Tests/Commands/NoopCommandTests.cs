using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Commands;

public sealed class NoopCommandTests
{
    [Fact]
    public async Task Noop_answers_ok_after_login()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.LoginAsync();

        Assert.Equal("+OK", await client.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task Noop_before_login_is_not_allowed()
    {
        await using var server = Pop3Harness.Start();
        await using var client = await server.ConnectAsync();

        Assert.Equal("-ERR NOOP is not allowed in the AUTHORIZATION state", await client.CommandAsync("NOOP"));
    }
}
