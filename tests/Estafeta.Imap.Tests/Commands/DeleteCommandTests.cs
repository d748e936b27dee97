using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class DeleteCommandTests
{
    [Fact]
    public async Task Delete_removes_a_mailbox_but_never_inbox()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        client.AssertOk(await client.CommandAsync("DELETE Junk"));
        Assert.Contains("[NONEXISTENT]", (await client.CommandAsync("DELETE Junk")).Tagged);
        Assert.Contains("[CANNOT]", (await client.CommandAsync("DELETE INBOX")).Tagged);
    }
}
