using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class IdleCommandTests
{
    [Fact]
    public async Task Idle_session_sees_a_new_message_within_a_second()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.SelectInboxAsync();
        await client.SendAsync("i IDLE\r\n");
        Assert.Equal("+ idling", await client.ReadLineAsync());
        var started = System.Diagnostics.Stopwatch.StartNew();
        server.Alice.Deliver("INBOX", Messages.Simple());
        Assert.Equal("* 1 EXISTS", await client.ReadLineAsync());
        Assert.True(started.Elapsed < TimeSpan.FromSeconds(1), started.Elapsed.ToString());
        await client.SendAsync("DONE\r\n");
        client.AssertOk(await client.ReadReplyAsync("i"));
    }

    [Fact]
    public async Task Idle_session_sees_flag_changes_and_expunges_of_another_session()
    {
        await using var server = ImapHarness.Start();
        for (var i = 0; i < 3; i++) server.Alice.Deliver("INBOX", Messages.Simple());
        await using var watcher = await server.SelectInboxAsync();
        await using var other = await server.SelectInboxAsync();
        await watcher.SendAsync("i IDLE\r\n");
        Assert.Equal("+ idling", await watcher.ReadLineAsync());
        other.AssertOk(await other.CommandAsync("STORE 3 +FLAGS (\\Flagged)"));
        Assert.Equal("* 3 FETCH (UID 3 FLAGS (\\Flagged \\Recent))", await watcher.ReadLineAsync());
        other.AssertOk(await other.CommandAsync("STORE 1 +FLAGS (\\Deleted)"));
        Assert.Equal("* 1 FETCH (UID 1 FLAGS (\\Deleted \\Recent))", await watcher.ReadLineAsync());
        other.AssertOk(await other.CommandAsync("EXPUNGE"));
        Assert.Equal("* 1 EXPUNGE", await watcher.ReadLineAsync());
        await watcher.SendAsync("DONE\r\n");
        watcher.AssertOk(await watcher.ReadReplyAsync("i"));
    }

    [Fact]
    public async Task A_server_stop_during_idle_says_bye()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.SelectInboxAsync();
        await client.SendAsync("i IDLE\r\n");
        await client.ReadLineAsync();
        var stop = server.StopAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("* BYE", await client.ReadLineAsync());
        await client.AssertClosedAsync();
        await stop;
    }
}
