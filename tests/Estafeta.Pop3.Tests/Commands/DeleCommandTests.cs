using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Commands;

public sealed class DeleCommandTests
{
    [Fact]
    public async Task Dele_takes_effect_only_at_quit()
    {
        await using var server = Pop3Harness.Start();
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.WithDots);
        var kept = account.Snapshot()[1];
        await using (var client = await server.LoginAsync())
        {
            Assert.Equal("+OK Message 1 deleted", await client.CommandAsync("DELE 1"));
            Assert.Equal(2, account.Snapshot().Count);

            Assert.StartsWith("+OK", await client.CommandAsync("QUIT"));
            await client.AssertClosedAsync();
        }
        await account.Released;

        Assert.Equal([kept], account.Snapshot());
        await using var again = await server.LoginAsync();
        Assert.Equal($"+OK 1 {Messages.WithDots.Length}", await again.CommandAsync("STAT"));
    }

    [Fact]
    public async Task Dropped_connection_deletes_nothing()
    {
        await using var server = Pop3Harness.Start();
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.WithDots);
        await using (var client = await server.LoginAsync())
        {
            await client.CommandAsync("DELE 1");
            await client.CommandAsync("DELE 2");
        }

        await account.Released;

        Assert.Equal(2, account.Snapshot().Count);
        Assert.Equal(0, account.Commits);
    }

    [Fact]
    public async Task Dele_of_a_deleted_message_is_refused()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.Short);
        await using var client = await server.LoginAsync();
        await client.CommandAsync("DELE 1");

        Assert.Equal("-ERR Message 1 already deleted", await client.CommandAsync("DELE 1"));
    }

    [Theory]
    [InlineData("DELE", "-ERR Syntax: DELE msg")]
    [InlineData("DELE 0", "-ERR No such message")]
    [InlineData("DELE 2", "-ERR No such message")]
    [InlineData("DELE +1", "-ERR Invalid message number")]
    public async Task Dele_refuses_bad_arguments(string command, string reply)
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.Short);
        await using var client = await server.LoginAsync();

        Assert.Equal(reply, await client.CommandAsync(command));
    }
}
