using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class LsubCommandTests
{
    [Fact]
    public async Task Lsub_lists_subscribed_mailboxes()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        client.AssertOk(await client.CommandAsync("UNSUBSCRIBE Trash"));
        var reply = await client.CommandAsync("LSUB \"\" *");
        Assert.Contains("* LSUB () \"/\" \"INBOX\"", reply.Untagged);
        Assert.DoesNotContain(reply.Untagged, l => l.Contains("Trash"));
    }
}
