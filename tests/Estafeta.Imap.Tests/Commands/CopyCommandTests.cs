using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class CopyCommandTests
{
    [Fact]
    public async Task Copy_answers_copyuid_and_keeps_the_source()
    {
        await using var server = ImapHarness.Start();
        for (var i = 0; i < 3; i++) server.Alice.Deliver("INBOX", Messages.Simple(), Estafeta.Imap.Store.MessageFlags.Seen);
        await using var client = await server.SelectInboxAsync();
        var reply = await client.CommandAsync("COPY 2:3 Archive");
        Assert.Matches(@"^A003 OK \[COPYUID \d+ 2:3 1:2\] COPY completed$", reply.Tagged);
        Assert.Contains("MESSAGES 2 UNSEEN 0", (await client.CommandAsync("STATUS Archive (MESSAGES UNSEEN)")).Untagged[0]);
    }

    [Fact]
    public async Task Copy_to_a_missing_mailbox_answers_trycreate()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.SelectInboxAsync();
        Assert.Contains("[TRYCREATE]", (await client.CommandAsync("COPY 1 Nowhere")).Tagged);
    }
}
