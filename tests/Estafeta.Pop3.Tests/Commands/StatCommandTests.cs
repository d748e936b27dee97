using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Commands;

public sealed class StatCommandTests
{
    [Fact]
    public async Task Stat_counts_messages_and_their_stored_octets()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.Spanish);
        await using var client = await server.LoginAsync();

        var octets = System.Text.Encoding.UTF8.GetByteCount(Messages.Short + Messages.Spanish);
        Assert.Equal($"+OK 2 {octets}", await client.CommandAsync("STAT"));
    }

    [Fact]
    public async Task Stat_leaves_out_deleted_messages()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.WithDots);
        await using var client = await server.LoginAsync();

        await client.CommandAsync("DELE 1");

        Assert.Equal("+OK 1 " + Messages.WithDots.Length, await client.CommandAsync("STAT"));
    }

    [Fact]
    public async Task Stat_before_login_is_not_allowed()
    {
        await using var server = Pop3Harness.Start();
        await using var client = await server.ConnectAsync();

        Assert.Equal("-ERR STAT is not allowed in the AUTHORIZATION state", await client.CommandAsync("STAT"));
    }

    [Fact]
    public async Task Stat_with_an_argument_is_refused()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.LoginAsync();

        Assert.Equal("-ERR Syntax: STAT", await client.CommandAsync("STAT 1"));
    }
}
