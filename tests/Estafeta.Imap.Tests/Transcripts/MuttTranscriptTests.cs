using System.Text;
using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Transcripts;

/// <summary>
/// What mutt 2.2.12 (Debian 12) sends, captured octet for octet on loopback by scripts/mutt-session.sh (through
/// scripts/imap-capture-proxy.py) and replayed here in the same writes, pipelining included. Only the credentials
/// inside AUTHENTICATE PLAIN and the addresses of the postponed draft differ from the capture. The answers are
/// checked for what mutt reads from them: RECENT and UNSEEN for its "N" marks, UIDNEXT, the header literals of
/// its index FETCH, COPYUID, EXPUNGE by sequence number, new mail on NOOP, and the literal of APPEND.
/// </summary>
public sealed class MuttTranscriptTests
{
    private const string HeaderFields =
        "BODY.PEEK[HEADER.FIELDS (DATE FROM SENDER SUBJECT TO CC MESSAGE-ID REFERENCES CONTENT-TYPE CONTENT-DESCRIPTION IN-REPLY-TO REPLY-TO LINES LIST-POST X-LABEL)]";

    // mutt's AUTHENTICATE PLAIN sends the login as both authorisation and authentication identity.
    private static readonly string Plain = Convert.ToBase64String("alice\0alice\0secret"u8.ToArray());

    private static async Task<IReadOnlyList<ImapReply>> SendAsync(ImapTestClient client, string raw, params string[] tags)
    {
        await client.SendAsync(raw);
        var replies = new List<ImapReply>();
        foreach (var tag in tags)
        {
            var reply = await client.ReadReplyAsync(tag);
            client.AssertOk(reply);
            replies.Add(reply);
        }
        return replies;
    }

    [Fact]
    public async Task Mutt_reads_flags_copies_saves_expunges_gets_new_mail_and_postpones_a_draft()
    {
        await using var server = ImapHarness.Start();
        var bodies = new[] { "uno", "dos", "tres" }.Select(s => Messages.Simple("Mensaje " + s, "remitente@remoto.test", $"Cuerpo de Mensaje {s}.")).ToList();
        foreach (var body in bodies) server.Alice.Deliver("INBOX", body);
        await using var client = await server.ConnectAsync();
        Assert.StartsWith("* OK [CAPABILITY IMAP4rev1 ", client.Greeting);
        Assert.Contains(" AUTH=PLAIN", client.Greeting);

        var auth = (await SendAsync(client, $"a0000 AUTHENTICATE PLAIN {Plain}\r\n", "a0000"))[0];
        Assert.StartsWith("a0000 OK [CAPABILITY IMAP4rev1 ", auth.Tagged);
        Assert.Contains(" UIDPLUS ", (await SendAsync(client, "a0001 CAPABILITY\r\n", "a0001"))[0].Untagged.Single());

        var opening = await SendAsync(client, "a0002 ENABLE UTF8=ACCEPT\r\na0003 LIST \"\" \"\"\r\n", "a0002", "a0003");
        Assert.Equal(["* ENABLED UTF8=ACCEPT"], opening[0].Untagged);
        Assert.Equal(["* LIST (\\Noselect) \"/\" \"\""], opening[1].Untagged);

        var select = await SendAsync(client, "a0004 STATUS \"Drafts\" (MESSAGES)\r\na0005 SELECT \"INBOX\"\r\n", "a0004", "a0005");
        Assert.Equal(["* STATUS \"Drafts\" (MESSAGES 0)"], select[0].Untagged);
        Assert.Contains("* 3 EXISTS", select[1].Untagged);
        Assert.Contains("* 3 RECENT", select[1].Untagged);
        Assert.Contains("* OK [UNSEEN 1] First unseen", select[1].Untagged);
        Assert.Contains("* OK [UIDNEXT 4] Predicted next UID", select[1].Untagged);
        Assert.EndsWith("OK [READ-WRITE] SELECT completed", select[1].Tagged);

        var index = (await SendAsync(client, $"a0006 FETCH 1:3 (UID FLAGS INTERNALDATE RFC822.SIZE {HeaderFields})\r\n", "a0006"))[0];
        Assert.Equal(3, index.Untagged.Count);
        for (var i = 0; i < 3; i++)
        {
            var size = Encoding.UTF8.GetByteCount(bodies[i]);
            Assert.StartsWith($"* {i + 1} FETCH (UID {i + 1} FLAGS (\\Recent) INTERNALDATE \"", index.Untagged[i]);
            Assert.Contains($" RFC822.SIZE {size} BODY[HEADER.FIELDS (DATE FROM SENDER SUBJECT TO CC MESSAGE-ID", index.Untagged[i]);
            Assert.Contains($"Subject: Mensaje {new[] { "uno", "dos", "tres" }[i]}\r\n", index.Untagged[i]);
            Assert.EndsWith("\r\n\r\n)", index.Untagged[i]);
        }

        var read = (await SendAsync(client, "a0007 UID FETCH 1 BODY.PEEK[]\r\n", "a0007"))[0];
        Assert.Equal($"* 1 FETCH (UID 1 BODY[] {{{Encoding.UTF8.GetByteCount(bodies[0])}}}\r\n{bodies[0]})", read.Untagged.Single());
        Assert.Empty((await SendAsync(client, "a0008 NOOP\r\n", "a0008"))[0].Untagged);

        var copy = await SendAsync(client, "a0009 STATUS \"Archive\" (UIDVALIDITY)\r\n", "a0009");
        var archiveValidity = copy[0].Untagged.Single().Split(' ')[^1].TrimEnd(')');
        Assert.Equal($"a0010 OK [COPYUID {archiveValidity} 2 1] UID COPY completed", (await SendAsync(client, "a0010 UID COPY 2 \"Archive\"\r\n", "a0010"))[0].Tagged);
        await SendAsync(client, "a0011 STATUS \"Trash\" (UIDVALIDITY)\r\n", "a0011");
        Assert.Contains("[COPYUID ", (await SendAsync(client, "a0012 UID COPY 3 \"Trash\"\r\n", "a0012"))[0].Tagged);

        var stores = await SendAsync(client,
            "a0013 UID STORE 3 +FLAGS.SILENT (\\Deleted)\r\na0014 UID STORE 1 +FLAGS.SILENT (\\Flagged)\r\na0015 UID STORE 1 +FLAGS.SILENT (\\Seen)\r\n",
            "a0013", "a0014", "a0015");
        Assert.All(stores, s => Assert.Empty(s.Untagged));
        Assert.Equal(["* 3 EXPUNGE"], (await SendAsync(client, "a0016 EXPUNGE\r\n", "a0016"))[0].Untagged);

        // New mail while INBOX is open: mutt's next NOOP learns of it and fetches the new message's headers.
        server.Alice.Deliver("INBOX", Messages.Simple("Mensaje cuatro", "remitente@remoto.test", "Cuerpo de Mensaje cuatro."));
        Assert.Equal(["* 3 EXISTS", "* 3 RECENT"], (await SendAsync(client, "a0017 NOOP\r\n", "a0017"))[0].Untagged);
        var fresh = (await SendAsync(client, $"a0018 FETCH 3:3 (UID FLAGS INTERNALDATE RFC822.SIZE {HeaderFields})\r\n", "a0018"))[0];
        Assert.StartsWith("* 3 FETCH (UID 4 FLAGS (\\Recent) ", fresh.Untagged.Single());
        Assert.Contains("Subject: Mensaje cuatro\r\n", fresh.Untagged.Single());

        // Postponing a draft: APPEND with a synchronising literal (mutt waits for the continuation).
        const string Draft = "Date: Thu, 26 Nov 2026 13:46:22 +0000\r\nFrom: root <alice@example.test>\r\nTo: alice@example.test\r\n" +
            "Subject: Borrador\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\nContent-Disposition: inline\r\nX-Mutt-Fcc: \r\n\r\n";
        await SendAsync(client, "a0019 STATUS \"Drafts\" (MESSAGES)\r\n", "a0019");
        await client.SendAsync($"a0020 APPEND \"Drafts\" (\\Draft) \"26-Nov-2026 13:46:22 +0000\" {{{Draft.Length}}}\r\n");
        Assert.StartsWith("+ ", await client.ReadLineAsync());
        await client.SendAsync(Draft);
        var append = await SendAsync(client, "\r\n", "a0020");
        Assert.Matches(@"^a0020 OK \[APPENDUID \d+ 1\] APPEND completed$", append[0].Tagged);
        Assert.Equal(["* STATUS \"Drafts\" (MESSAGES 1)"], (await SendAsync(client, "a0021 STATUS \"Drafts\" (MESSAGES)\r\n", "a0021"))[0].Untagged);

        // Leaving INBOX: mutt marks the unread messages it showed with its "Old" keyword, then closes.
        await SendAsync(client, "a0022 NOOP\r\n", "a0022");
        var old = (await SendAsync(client, "a0023 UID STORE 2:4 +FLAGS.SILENT (Old)\r\n", "a0023"))[0];
        Assert.Equal(["* FLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft Old)",
            "* OK [PERMANENTFLAGS (\\Answered \\Flagged \\Deleted \\Seen \\Draft Old \\*)] Flags permitted"], old.Untagged);
        Assert.Empty((await SendAsync(client, "a0024 CLOSE\r\n", "a0024"))[0].Untagged);

        var archive = await SendAsync(client, "a0025 STATUS \"Drafts\" (MESSAGES)\r\na0026 SELECT \"Archive\"\r\n", "a0025", "a0026");
        Assert.Contains("* 1 EXISTS", archive[1].Untagged);
        Assert.Contains("* 1 RECENT", archive[1].Untagged);
        var copied = (await SendAsync(client, $"a0027 FETCH 1:1 (UID FLAGS INTERNALDATE RFC822.SIZE {HeaderFields})\r\n", "a0027"))[0];
        Assert.StartsWith("* 1 FETCH (UID 1 FLAGS (\\Recent) ", copied.Untagged.Single());
        Assert.Contains("Subject: Mensaje dos\r\n", copied.Untagged.Single());
        await SendAsync(client, "a0028 UID STORE 1 +FLAGS.SILENT (Old)\r\n", "a0028");
        await SendAsync(client, "a0029 CLOSE\r\n", "a0029");

        var trash = await SendAsync(client, "a0030 STATUS \"Drafts\" (MESSAGES)\r\na0031 SELECT \"Trash\"\r\n", "a0030", "a0031");
        Assert.Contains("* 1 EXISTS", trash[1].Untagged);
        await SendAsync(client, "a0034 CLOSE\r\n", "a0034");
        var drafts = (await SendAsync(client, "a0035 SELECT \"Drafts\"\r\n", "a0035"))[0];
        Assert.Contains("* 1 EXISTS", drafts.Untagged);
        var draft = (await SendAsync(client, $"a0036 FETCH 1:1 (UID FLAGS INTERNALDATE RFC822.SIZE {HeaderFields})\r\n", "a0036"))[0];
        Assert.StartsWith($"* 1 FETCH (UID 1 FLAGS (\\Draft \\Recent) INTERNALDATE \"26-Nov-2026 13:46:22 +0000\" RFC822.SIZE {Draft.Length} ", draft.Untagged.Single());

        var logout = (await SendAsync(client, "a0039 LOGOUT\r\n", "a0039"))[0];
        Assert.Equal(["* BYE Logging out"], logout.Untagged);
        await client.AssertClosedAsync();
    }

    [Fact]
    public async Task Mutt_with_qresync_and_idle_hears_of_new_mail_while_idling()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.Simple("Mensaje uno"));
        await using var client = await server.ConnectAsync();
        await SendAsync(client, $"a0000 AUTHENTICATE PLAIN {Plain}\r\n", "a0000");
        await SendAsync(client, "a0001 CAPABILITY\r\n", "a0001");
        var opening = await SendAsync(client, "a0002 ENABLE UTF8=ACCEPT\r\na0003 ENABLE QRESYNC\r\na0004 LIST \"\" \"\"\r\n", "a0002", "a0003", "a0004");
        Assert.Equal(["* ENABLED QRESYNC"], opening[1].Untagged);

        var select = await SendAsync(client, "a0005 STATUS \"Drafts\" (MESSAGES)\r\na0006 SELECT \"INBOX\"\r\n", "a0005", "a0006");
        Assert.Contains("* 1 EXISTS", select[1].Untagged);
        Assert.Contains("* 1 RECENT", select[1].Untagged);
        Assert.Contains(select[1].Untagged, l => l.StartsWith("* OK [HIGHESTMODSEQ ", StringComparison.Ordinal));
        var index = (await SendAsync(client, $"a0007 FETCH 1:1 (UID FLAGS INTERNALDATE RFC822.SIZE {HeaderFields})\r\n", "a0007"))[0];
        Assert.StartsWith("* 1 FETCH (UID 1 FLAGS (\\Recent) ", index.Untagged.Single());

        // mutt idles, and ends IDLE with DONE and its next command in one write.
        await client.SendAsync("a0008 IDLE\r\n");
        Assert.Equal("+ idling", await client.ReadLineAsync());
        server.Alice.Deliver("INBOX", Messages.Simple("Mensaje dos"));
        Assert.Equal("* 2 EXISTS", await client.ReadLineAsync());
        Assert.Equal("* 2 RECENT", await client.ReadLineAsync());
        var done = await SendAsync(client, "DONE\r\na0009 CLOSE\r\n", "a0008", "a0009");
        Assert.Equal("a0008 OK IDLE terminated", done[0].Tagged);
        Assert.Empty(done[1].Untagged);
        Assert.Equal(["* BYE Logging out"], (await SendAsync(client, "a0010 LOGOUT\r\n", "a0010"))[0].Untagged);
        await client.AssertClosedAsync();
    }
}
