using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class NoopCommandTests
{
    [Fact]
    public async Task Noop_reports_new_messages_and_flag_changes()
    {
        await using var server = ImapHarness.Start();
        var uid = server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.SelectInboxAsync();
        server.Alice.Deliver("INBOX", Messages.Simple());
        var reply = await client.CommandAsync("NOOP");
        Assert.Contains("* 2 EXISTS", reply.Untagged);
    }

    [Fact]
    public async Task Expunges_are_not_reported_during_fetch_but_after_noop()
    {
        await using var server = ImapHarness.Start();
        for (var i = 0; i < 2; i++) server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.SelectInboxAsync();
        await using var other = await server.SelectInboxAsync();
        other.AssertOk(await other.CommandAsync("STORE 1 +FLAGS.SILENT (\\Deleted)"));
        other.AssertOk(await other.CommandAsync("EXPUNGE"));
        var fetch = await client.CommandAsync("FETCH 2 UID");
        Assert.DoesNotContain(fetch.Untagged, l => l.Contains("EXPUNGE"));
        Assert.Contains("* 2 FETCH (UID 2)", fetch.Untagged);
        Assert.Contains("* 1 EXPUNGE", (await client.CommandAsync("NOOP")).Untagged);
    }
}
