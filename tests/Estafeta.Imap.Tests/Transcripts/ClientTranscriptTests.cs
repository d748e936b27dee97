using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Transcripts;

/// <summary>The opening sequences that common clients send, as they document and log them, replayed byte for byte:
/// every command must complete OK with the responses the client needs.</summary>
public sealed class ClientTranscriptTests
{
    [Fact]
    public async Task Thunderbird_opening_sequence_is_answered_completely()
    {
        await using var server = ImapHarness.Start(implicitTls: true);
        server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.ConnectAsync();
        client.AssertOk(await client.CommandAsync("capability"));
        client.AssertOk(await client.CommandAsync("authenticate PLAIN " + Convert.ToBase64String("\0alice\0secret"u8.ToArray())));
        var id = await client.CommandAsync("ID (\"name\" \"Thunderbird\" \"version\" \"128.5.0\")");
        Assert.StartsWith("* ID (", id.Untagged.Single());
        Assert.Equal("* ENABLED CONDSTORE", (await client.CommandAsync("ENABLE CONDSTORE")).Untagged.Single());
        var subscribed = await client.CommandAsync("LIST (SUBSCRIBED) \"\" \"*\"");
        Assert.Contains(subscribed.Untagged, l => l.Contains("\"INBOX\"") && l.Contains("\\Subscribed"));
        var special = await client.CommandAsync("LIST \"\" \"*\" RETURN (SPECIAL-USE)");
        foreach (var use in new[] { "\\Sent", "\\Drafts", "\\Junk", "\\Trash", "\\Archive" }) Assert.Contains(special.Untagged, l => l.Contains(use));
        var select = await client.CommandAsync("select \"INBOX\" (CONDSTORE)");
        Assert.Contains("* 1 EXISTS", select.Untagged);
        Assert.Contains(select.Untagged, l => l.StartsWith("* OK [HIGHESTMODSEQ", StringComparison.Ordinal));
        var flags = await client.CommandAsync("UID fetch 1:* (FLAGS)");
        Assert.Matches(@"^\* 1 FETCH \(UID 1 FLAGS \(\\Recent\) MODSEQ \(\d+\)\)$", flags.Untagged.Single());
        await client.SendAsync("A099 IDLE\r\n");
        Assert.StartsWith("+ ", await client.ReadLineAsync());
        await client.SendAsync("DONE\r\n");
        client.AssertOk(await client.ReadReplyAsync("A099"));
    }

    [Fact]
    public async Task Apple_mail_opening_sequence_is_answered_completely()
    {
        await using var server = ImapHarness.Start(implicitTls: true);
        await using var client = await server.ConnectAsync();
        client.AssertOk(await client.CommandAsync("ID (\"name\" \"Mac OS X Mail\" \"version\" \"16.0 (3774.600.62)\" \"os\" \"Mac OS X\")"));
        client.AssertOk(await client.CommandAsync("LOGIN alice secret"));
        client.AssertOk(await client.CommandAsync("CAPABILITY"));
        client.AssertOk(await client.CommandAsync("ENABLE QRESYNC"));
        var ns = await client.CommandAsync("NAMESPACE");
        Assert.Equal("* NAMESPACE ((\"\" \"/\")) NIL NIL", ns.Untagged.Single());
        var list = await client.CommandAsync("LIST \"\" \"*\" RETURN (CHILDREN SPECIAL-USE)");
        Assert.Equal(6, list.Untagged.Count);
        var status = await client.CommandAsync("STATUS \"Sent\" (HIGHESTMODSEQ MESSAGES UNSEEN UIDNEXT UIDVALIDITY)");
        Assert.StartsWith("* STATUS \"Sent\" (HIGHESTMODSEQ ", status.Untagged.Single());
        var select = await client.CommandAsync("SELECT INBOX");
        Assert.EndsWith("[READ-WRITE] SELECT completed", select.Tagged);
        client.AssertOk(await client.CommandAsync("UID SEARCH 1:* NOT DELETED"));
        client.AssertOk(await client.CommandAsync("UID FETCH 1:* (FLAGS UID) (CHANGEDSINCE 1 VANISHED)"));
        client.AssertOk(await client.CommandAsync("LOGOUT"));
    }

    [Fact]
    public async Task Outlook_opening_sequence_is_answered_completely()
    {
        await using var server = ImapHarness.Start(o => o with { AllowPlaintextAuth = false });
        server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.ConnectAsync();
        client.AssertOk(await client.CommandAsync("CAPABILITY"));
        await client.SendAsync("A002 STARTTLS\r\n");
        Assert.StartsWith("A002 OK", await client.ReadLineAsync());
        await client.HandshakeAsync();
        var tag = client.NextTag();
        var caps = await client.CommandAsync("CAPABILITY");
        Assert.Contains("AUTH=PLAIN", caps.Untagged.Single());
        client.AssertOk(await client.CommandAsync("AUTHENTICATE PLAIN " + Convert.ToBase64String("\0alice\0secret"u8.ToArray())));
        var list = await client.CommandAsync("LIST \"\" \"*\"");
        Assert.Equal(6, list.Untagged.Count);
        client.AssertOk(await client.CommandAsync("LSUB \"\" \"*\""));
        client.AssertOk(await client.CommandAsync("SELECT \"INBOX\""));
        var fetch = await client.CommandAsync("UID FETCH 1:* (UID FLAGS RFC822.SIZE INTERNALDATE BODY.PEEK[HEADER.FIELDS (FROM SUBJECT DATE)])");
        Assert.Contains("BODY[HEADER.FIELDS (FROM SUBJECT DATE)] {", fetch.Untagged.Single());
        client.AssertOk(await client.CommandAsync("UID STORE 1 +FLAGS (\\Seen)"));
        client.AssertOk(await client.CommandAsync("CLOSE"));
        client.AssertOk(await client.CommandAsync("LOGOUT"));
        _ = tag;
    }
}
