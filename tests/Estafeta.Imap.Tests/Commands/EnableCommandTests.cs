using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class EnableCommandTests
{
    [Fact]
    public async Task Enable_answers_with_what_it_enabled_once()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        Assert.Equal("* ENABLED CONDSTORE UTF8=ACCEPT", (await client.CommandAsync("ENABLE CONDSTORE UTF8=ACCEPT X-UNKNOWN")).Untagged.Single());
        Assert.Equal("* ENABLED", (await client.CommandAsync("ENABLE CONDSTORE")).Untagged.Single());
    }

    [Fact]
    public async Task Enable_before_login_is_not_allowed()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.ConnectAsync();
        Assert.Contains("BAD", (await client.CommandAsync("ENABLE CONDSTORE")).Tagged);
    }
}
