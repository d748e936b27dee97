using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class StartTlsCommandTests
{
    [Fact]
    public async Task Starttls_upgrades_and_drops_commands_injected_before_the_handshake()
    {
        await using var server = ImapHarness.Start(o => o with { AllowPlaintextAuth = false });
        await using var client = await server.ConnectAsync();
        await client.SendAsync("a STARTTLS\r\nb LOGIN alice secret\r\n");
        Assert.StartsWith("a OK", await client.ReadLineAsync());
        await client.HandshakeAsync();
        var caps = await client.CommandAsync("CAPABILITY");
        Assert.Contains("AUTH=PLAIN", caps.Untagged[0]);
        Assert.DoesNotContain("STARTTLS", caps.Untagged[0]);
        client.AssertOk(await client.CommandAsync("LOGIN alice secret"));
    }
}
