using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class CloseCommandTests
{
    [Fact]
    public async Task Close_expunges_silently_and_leaves_the_mailbox()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.Simple(), Estafeta.Imap.Store.MessageFlags.Deleted);
        await using var client = await server.SelectInboxAsync();
        var reply = await client.CommandAsync("CLOSE");
        Assert.Empty(reply.Untagged);
        Assert.Contains("MESSAGES 0", (await client.CommandAsync("STATUS INBOX (MESSAGES)")).Untagged[0]);
        Assert.Contains("BAD", (await client.CommandAsync("FETCH 1 FLAGS")).Tagged);
    }
}
