using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Commands;

public sealed class UidlCommandTests
{
    [Fact]
    public async Task Uidl_lists_the_unique_id_of_every_message()
    {
        await using var server = Pop3Harness.Start();
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.WithDots);
        await using var client = await server.LoginAsync();
        var ids = account.Snapshot().Select(m => m.UniqueId).ToArray();

        var (status, lines) = await client.MultiLineCommandAsync("UIDL");

        Assert.StartsWith("+OK", status);
        Assert.Equal([$"1 {ids[0]}", $"2 {ids[1]}"], lines);
    }

    [Fact]
    public async Task Uidl_with_a_number_gives_one_unique_id()
    {
        await using var server = Pop3Harness.Start();
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.WithDots);
        await using var client = await server.LoginAsync();

        Assert.Equal($"+OK 2 {account.Snapshot()[1].UniqueId}", await client.CommandAsync("UIDL 2"));
    }

    [Fact]
    public async Task Uidl_leaves_out_deleted_messages()
    {
        await using var server = Pop3Harness.Start();
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.WithDots);
        await using var client = await server.LoginAsync();
        await client.CommandAsync("DELE 1");

        var (_, lines) = await client.MultiLineCommandAsync("UIDL");

        Assert.Equal([$"2 {account.Snapshot()[1].UniqueId}"], lines);
        Assert.Equal("-ERR Message 1 already deleted", await client.CommandAsync("UIDL 1"));
    }

    [Fact]
    public async Task Uidl_of_a_missing_message_is_refused()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.Short);
        await using var client = await server.LoginAsync();

        Assert.Equal("-ERR No such message", await client.CommandAsync("UIDL 2"));
        Assert.Equal("-ERR Syntax: UIDL [msg]", await client.CommandAsync("UIDL 1 1"));
    }
}
