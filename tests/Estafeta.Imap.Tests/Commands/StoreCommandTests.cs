using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class StoreCommandTests
{
    [Fact]
    public async Task Store_adds_and_removes_flags_and_keywords()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.SelectInboxAsync();
        var add = await client.CommandAsync("STORE 1 +FLAGS (\\Flagged $Forwarded)");
        Assert.Contains("* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft $Forwarded)", add.Untagged);
        Assert.Contains("* 1 FETCH (FLAGS (\\Flagged \\Recent $Forwarded))", add.Untagged);
        var remove = await client.CommandAsync("STORE 1 -FLAGS.SILENT (\\Flagged)");
        Assert.Empty(remove.Untagged);
        Assert.Contains("FLAGS (\\Recent $Forwarded)", (await client.CommandAsync("FETCH 1 FLAGS")).Untagged[0]);
    }

    [Fact]
    public async Task Unchangedsince_leaves_newer_messages_alone_and_names_them_modified()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.Simple());
        server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.SelectInboxAsync();
        var fetch = await client.CommandAsync("FETCH 1 MODSEQ");
        var modseq = long.Parse(fetch.Untagged[0].Split("MODSEQ (")[1].TrimEnd(')', ' '));
        var reply = await client.CommandAsync($"STORE 1:2 (UNCHANGEDSINCE {modseq}) +FLAGS (\\Seen)");
        Assert.Contains("[MODIFIED 2]", reply.Tagged);
    }

    [Fact]
    public async Task An_unknown_system_flag_is_rejected()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.SelectInboxAsync();
        Assert.Contains("BAD", (await client.CommandAsync("STORE 1 +FLAGS (\\Bogus)")).Tagged);
    }
}
