using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Commands;

public sealed class RsetCommandTests
{
    [Fact]
    public async Task Rset_undeletes_every_message()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.WithDots);
        await using var client = await server.LoginAsync();
        await client.CommandAsync("DELE 1");
        await client.CommandAsync("DELE 2");

        var reply = await client.CommandAsync("RSET");

        Assert.Equal($"+OK Maildrop has 2 messages ({Messages.Short.Length + Messages.WithDots.Length} octets)", reply);
        Assert.StartsWith("+OK", await client.CommandAsync("RETR 1"));
    }

    [Fact]
    public async Task Quit_after_rset_deletes_nothing()
    {
        await using var server = Pop3Harness.Start();
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short);
        await using var client = await server.LoginAsync();
        await client.CommandAsync("DELE 1");
        await client.CommandAsync("RSET");

        await client.CommandAsync("QUIT");
        await account.Released;

        Assert.Single(account.Snapshot());
        Assert.Empty(account.DeletedIds);
    }

    [Fact]
    public async Task Rset_with_an_argument_is_refused()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.LoginAsync();

        Assert.Equal("-ERR Syntax: RSET", await client.CommandAsync("RSET 1"));
    }
}
