using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Commands;

public sealed class QuitCommandTests
{
    [Fact]
    public async Task Quit_before_login_closes_the_connection()
    {
        await using var server = Pop3Harness.Start();
        await using var client = await server.ConnectAsync();

        Assert.Equal("+OK pop.example.test POP3 server signing off", await client.CommandAsync("QUIT"));
        await client.AssertClosedAsync();
    }

    [Fact]
    public async Task Quit_commits_the_deletions_in_message_order_and_releases_the_maildrop()
    {
        await using var server = Pop3Harness.Start();
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.WithDots, Messages.ThreeBodyLines);
        var stored = account.Snapshot();
        await using var client = await server.LoginAsync();
        await client.CommandAsync("DELE 3");
        await client.CommandAsync("DELE 1");

        Assert.Equal("+OK pop.example.test POP3 server signing off (2 deleted, 1 left)", await client.CommandAsync("QUIT"));
        await client.AssertClosedAsync();
        await account.Released;

        Assert.Equal([stored[0].Id, stored[2].Id], account.DeletedIds);
        Assert.False(account.IsLocked);
    }

    [Fact]
    public async Task Quit_when_the_store_fails_reports_messages_not_removed()
    {
        await using var server = Pop3Harness.Start();
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short);
        account.CommitFailure = new IOException("disk full");
        await using var client = await server.LoginAsync();
        await client.CommandAsync("DELE 1");

        Assert.Equal("-ERR [SYS/TEMP] Some deleted messages not removed", await client.CommandAsync("QUIT"));
        await client.AssertClosedAsync();
        await account.Released;

        Assert.Single(account.Snapshot());
    }

    [Fact]
    public async Task Quit_with_an_argument_is_refused()
    {
        await using var server = Pop3Harness.Start();
        await using var client = await server.ConnectAsync();

        Assert.Equal("-ERR Syntax: QUIT", await client.CommandAsync("QUIT now"));
    }
}
