using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class SubscribeCommandTests
{
    [Fact]
    public async Task Subscribe_and_unsubscribe_change_the_subscription()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        client.AssertOk(await client.CommandAsync("UNSUBSCRIBE Sent"));
        Assert.DoesNotContain((await client.CommandAsync("LSUB \"\" *")).Untagged, l => l.Contains("Sent"));
        client.AssertOk(await client.CommandAsync("SUBSCRIBE Sent"));
        Assert.Contains((await client.CommandAsync("LSUB \"\" *")).Untagged, l => l.Contains("Sent"));
        Assert.Contains("[NONEXISTENT]", (await client.CommandAsync("SUBSCRIBE Nowhere")).Tagged);
    }
}
