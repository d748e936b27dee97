using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class MoveCommandTests
{
    [Fact]
    public async Task Move_sends_copyuid_then_expunges()
    {
        await using var server = ImapHarness.Start();
        for (var i = 0; i < 3; i++) server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.SelectInboxAsync();
        var reply = await client.CommandAsync("UID MOVE 2 Trash");
        Assert.Matches(@"^\* OK \[COPYUID \d+ 2 1\] Moved$", reply.Untagged[0]);
        Assert.Equal("* 2 EXPUNGE", reply.Untagged[1]);
        client.AssertOk(reply);
    }
}
