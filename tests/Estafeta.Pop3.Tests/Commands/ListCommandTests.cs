using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Commands;

public sealed class ListCommandTests
{
    [Theory]
    [InlineData(1, 120, "1 message (120 octets)")]
    [InlineData(2, 1, "2 messages (1 octet)")]
    [InlineData(0, 0, "0 messages (0 octets)")]
    public void The_maildrop_size_is_worded_in_the_singular_for_one(int count, long octets, string expected) =>
        Assert.Equal(expected, Pop3Reply.Size(count, octets));

    [Fact]
    public async Task List_gives_the_stored_size_of_every_message()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.WithDots);
        await using var client = await server.LoginAsync();

        var (status, lines) = await client.MultiLineCommandAsync("LIST");

        Assert.Equal($"+OK 2 messages ({Messages.Short.Length + Messages.WithDots.Length} octets)", status);
        Assert.Equal([$"1 {Messages.Short.Length}", $"2 {Messages.WithDots.Length}"], lines);
    }

    [Fact]
    public async Task List_with_a_number_gives_one_size()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.WithDots);
        await using var client = await server.LoginAsync();

        Assert.Equal($"+OK 2 {Messages.WithDots.Length}", await client.CommandAsync("LIST 2"));
    }

    [Fact]
    public async Task List_leaves_out_deleted_messages()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.WithDots, Messages.ThreeBodyLines);
        await using var client = await server.LoginAsync();
        await client.CommandAsync("DELE 2");

        var (_, lines) = await client.MultiLineCommandAsync("LIST");

        Assert.Equal([$"1 {Messages.Short.Length}", $"3 {Messages.ThreeBodyLines.Length}"], lines);
        Assert.Equal("-ERR Message 2 already deleted", await client.CommandAsync("LIST 2"));
    }

    [Fact]
    public async Task List_of_an_empty_maildrop_is_an_empty_listing()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.LoginAsync();

        var (status, lines) = await client.MultiLineCommandAsync("LIST");

        Assert.Equal("+OK 0 messages (0 octets)", status);
        Assert.Empty(lines);
    }

    [Theory]
    [InlineData("LIST 0", "-ERR No such message")]
    [InlineData("LIST 3", "-ERR No such message")]
    [InlineData("LIST 4294967297", "-ERR No such message")]
    [InlineData("LIST x", "-ERR Invalid message number")]
    [InlineData("LIST -1", "-ERR Invalid message number")]
    [InlineData("LIST 1.0", "-ERR Invalid message number")]
    [InlineData("LIST 1 2", "-ERR Syntax: LIST [msg]")]
    public async Task List_refuses_bad_message_numbers(string command, string reply)
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.WithDots);
        await using var client = await server.LoginAsync();

        Assert.Equal(reply, await client.CommandAsync(command));
        Assert.StartsWith("+OK", await client.CommandAsync("NOOP"));
    }
}
