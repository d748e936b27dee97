using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class ExpungeCommandTests
{
    [Fact]
    public async Task Expunge_removes_deleted_messages_and_announces_each()
    {
        await using var server = ImapHarness.Start();
        for (var i = 0; i < 4; i++) server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.SelectInboxAsync();
        client.AssertOk(await client.CommandAsync("STORE 2,3 +FLAGS.SILENT (\\Deleted)"));
        var reply = await client.CommandAsync("EXPUNGE");
        Assert.Equal(["* 2 EXPUNGE", "* 2 EXPUNGE"], reply.Untagged);
        Assert.Equal(["* 1 FETCH (UID 1)", "* 2 FETCH (UID 4)"], (await client.CommandAsync("FETCH 1:* UID")).Untagged);
    }

    [Fact]
    public async Task Uid_expunge_removes_only_the_given_uids()
    {
        await using var server = ImapHarness.Start();
        for (var i = 0; i < 3; i++) server.Alice.Deliver("INBOX", Messages.Simple(), Estafeta.Imap.Store.MessageFlags.Deleted);
        await using var client = await server.SelectInboxAsync();
        Assert.Equal(["* 3 EXPUNGE"], (await client.CommandAsync("UID EXPUNGE 3")).Untagged);
    }

    [Fact]
    public async Task With_qresync_expunges_are_reported_as_vanished()
    {
        await using var server = ImapHarness.Start();
        for (var i = 0; i < 3; i++) server.Alice.Deliver("INBOX", Messages.Simple(), Estafeta.Imap.Store.MessageFlags.Deleted);
        await using var client = await server.LoginAsync();
        client.AssertOk(await client.CommandAsync("ENABLE QRESYNC"));
        client.AssertOk(await client.CommandAsync("SELECT INBOX"));
        Assert.Equal(["* VANISHED 1:3"], (await client.CommandAsync("EXPUNGE")).Untagged);
    }
}
