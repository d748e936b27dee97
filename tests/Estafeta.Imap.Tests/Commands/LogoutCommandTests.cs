using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class LogoutCommandTests
{
    [Fact]
    public async Task Logout_says_bye_then_ok_and_closes()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.SelectInboxAsync();
        var reply = await client.CommandAsync("LOGOUT");
        Assert.Equal("* BYE Logging out", reply.Untagged.Single());
        client.AssertOk(reply);
        await client.AssertClosedAsync();
    }
}
