using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class StatusCommandTests
{
    [Fact]
    public async Task Status_reports_the_counters_including_size_and_highestmodseq()
    {
        await using var server = ImapHarness.Start();
        var message = Messages.Simple();
        server.Alice.Deliver("INBOX", message, Estafeta.Imap.Store.MessageFlags.Seen | Estafeta.Imap.Store.MessageFlags.Deleted);
        server.Alice.Deliver("INBOX", message);
        await using var client = await server.LoginAsync();
        var line = (await client.CommandAsync("STATUS INBOX (MESSAGES UNSEEN DELETED UIDNEXT SIZE)")).Untagged.Single();
        Assert.Equal($"* STATUS \"INBOX\" (MESSAGES 2 UNSEEN 1 DELETED 1 UIDNEXT 3 SIZE {2 * message.Length})", line);
        Assert.Contains("[NONEXISTENT]", (await client.CommandAsync("STATUS Nowhere (MESSAGES)")).Tagged);
        Assert.Contains("BAD", (await client.CommandAsync("STATUS INBOX (BOGUS)")).Tagged);
    }
}
