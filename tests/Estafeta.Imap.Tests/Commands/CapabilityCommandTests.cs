using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class CapabilityCommandTests
{
    [Fact]
    public async Task Before_tls_the_capabilities_offer_starttls_and_logindisabled_when_plaintext_is_off()
    {
        await using var server = ImapHarness.Start(o => o with { AllowPlaintextAuth = false });
        await using var client = await server.ConnectAsync();
        var reply = await client.CommandAsync("CAPABILITY");
        client.AssertOk(reply);
        Assert.Contains("STARTTLS", reply.Untagged[0]);
        Assert.Contains("LOGINDISABLED", reply.Untagged[0]);
        Assert.DoesNotContain("AUTH=PLAIN", reply.Untagged[0]);
        Assert.StartsWith("* OK [CAPABILITY IMAP4rev1 IMAP4rev2", client.Greeting);
    }

    [Fact]
    public async Task After_login_the_capabilities_list_the_extensions()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        var line = (await client.CommandAsync("CAPABILITY")).Untagged[0];
        foreach (var name in new[] { "IDLE", "UIDPLUS", "MOVE", "CONDSTORE", "QRESYNC", "ESEARCH", "SEARCHRES", "SORT", "QUOTA", "LIST-EXTENDED", "LIST-STATUS", "SPECIAL-USE", "BINARY", "UTF8=ACCEPT", "APPENDLIMIT=" })
            Assert.Contains(name, line);
    }
}
