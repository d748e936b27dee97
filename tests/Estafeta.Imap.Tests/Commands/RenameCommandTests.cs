using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class RenameCommandTests
{
    [Fact]
    public async Task Rename_moves_a_mailbox_and_its_children()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        client.AssertOk(await client.CommandAsync("CREATE Work/Old"));
        client.AssertOk(await client.CommandAsync("RENAME Work Job"));
        var list = await client.CommandAsync("LIST \"\" Job*");
        Assert.Contains(list.Untagged, l => l.EndsWith("\"Job/Old\"", StringComparison.Ordinal));
        Assert.Contains("[ALREADYEXISTS]", (await client.CommandAsync("RENAME Job Sent")).Tagged);
    }

    [Fact]
    public async Task Renaming_inbox_moves_its_messages_and_leaves_it_empty()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.LoginAsync();
        client.AssertOk(await client.CommandAsync("RENAME INBOX Saved"));
        Assert.Contains("MESSAGES 0", (await client.CommandAsync("STATUS INBOX (MESSAGES)")).Untagged[0]);
        Assert.Contains("MESSAGES 1", (await client.CommandAsync("STATUS Saved (MESSAGES)")).Untagged[0]);
    }
}
