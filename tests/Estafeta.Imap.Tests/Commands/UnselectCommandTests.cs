using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class UnselectCommandTests
{
    [Fact]
    public async Task Unselect_leaves_the_mailbox_without_expunging()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.Simple(), Estafeta.Imap.Store.MessageFlags.Deleted);
        await using var client = await server.SelectInboxAsync();
        client.AssertOk(await client.CommandAsync("UNSELECT"));
        Assert.Contains("MESSAGES 1", (await client.CommandAsync("STATUS INBOX (MESSAGES)")).Untagged[0]);
    }
}
