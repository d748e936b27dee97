using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class FetchCommandTests
{
    [Fact]
    public async Task Fetch_returns_flags_size_date_and_the_body_byte_for_byte()
    {
        await using var server = ImapHarness.Start();
        var message = Messages.Simple(body: "Line one\r\n.Line two");
        server.Alice.Deliver("INBOX", message, internalDate: new DateTimeOffset(2024, 1, 5, 9, 30, 0, TimeSpan.Zero));
        await using var client = await server.SelectInboxAsync();
        var reply = await client.CommandAsync("FETCH 1 (FLAGS INTERNALDATE RFC822.SIZE BODY.PEEK[])");
        client.AssertOk(reply);
        var size = System.Text.Encoding.UTF8.GetByteCount(message);
        Assert.Equal($"* 1 FETCH (FLAGS (\\Recent) INTERNALDATE \"05-Jan-2024 09:30:00 +0000\" RFC822.SIZE {size} BODY[] {{{size}}}\r\n{message})", reply.Untagged[0]);
    }

    [Fact]
    public async Task Fetching_a_body_without_peek_sets_seen_and_reports_it()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.SelectInboxAsync();
        var reply = await client.CommandAsync("FETCH 1 BODY[TEXT]");
        Assert.Contains("FLAGS (\\Seen \\Recent)", reply.Untagged[0]);
        Assert.Contains("FLAGS (\\Seen \\Recent)", (await client.CommandAsync("FETCH 1 FLAGS")).Untagged[0]);
    }

    [Fact]
    public async Task Uid_fetch_includes_the_uid_and_changedsince_filters_by_modseq()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.Simple());
        server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.SelectInboxAsync();
        var all = await client.CommandAsync("UID FETCH 1:* (FLAGS MODSEQ)");
        Assert.Equal(2, all.Untagged.Count);
        var first = long.Parse(all.Untagged[0].Split("MODSEQ (")[1].TrimEnd(')', ' '));
        var changed = await client.CommandAsync($"UID FETCH 1:* (FLAGS) (CHANGEDSINCE {first})");
        Assert.Single(changed.Untagged);
        Assert.StartsWith("* 2 FETCH (UID 2 FLAGS (\\Recent) MODSEQ (", changed.Untagged[0]);
    }

    [Fact]
    public async Task Header_fields_and_partial_sections_follow_the_section_grammar()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.File("rfc822.eml"));
        await using var client = await server.SelectInboxAsync();
        var reply = await client.CommandAsync("FETCH 1 (BODY.PEEK[HEADER.FIELDS (subject from)] BODY.PEEK[2.MIME] BODY.PEEK[2.1]<0.5>)");
        Assert.Equal("* 1 FETCH (BODY[HEADER.FIELDS (SUBJECT FROM)] {52}\r\nFrom: forwarder@example.com\r\nSubject: Fwd: Lunch\r\n\r\n"
            + " BODY[2.MIME] {61}\r\nContent-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n BODY[2.1]<0> {5}\r\nLunch)", reply.Untagged[0]);
    }

    [Fact]
    public async Task Binary_decodes_the_transfer_encoding()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.File("nested.eml"));
        await using var client = await server.SelectInboxAsync();
        var reply = await client.CommandAsync("FETCH 1 (BINARY.SIZE[1.1] BINARY.PEEK[1.1])");
        Assert.Equal("* 1 FETCH (BINARY.SIZE[1.1] 28 BINARY[1.1] {28}\r\nHello Bob,\n\r\nsee the report.)", reply.Untagged[0]);
    }

    [Fact]
    public async Task A_sequence_number_beyond_the_mailbox_is_an_error()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.SelectInboxAsync();
        Assert.Contains("BAD", (await client.CommandAsync("FETCH 5 FLAGS")).Tagged);
        client.AssertOk(await client.CommandAsync("UID FETCH 5 FLAGS"));
    }

    [Fact]
    public async Task A_malformed_fetch_answers_bad_and_the_session_goes_on()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.SelectInboxAsync();
        Assert.Contains("BAD", (await client.CommandAsync("FETCH 1 (FLAGS")).Tagged);
        Assert.Contains("BAD", (await client.CommandAsync("FETCH 1 BODY[NOPE]")).Tagged);
        Assert.Contains("BAD", (await client.CommandAsync("BOGUS")).Tagged);
        client.AssertOk(await client.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task A_message_whose_header_cannot_be_parsed_is_fetched_as_a_body_without_header()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", "x\r\n");
        await using var client = await server.SelectInboxAsync();
        var reply = await client.CommandAsync("FETCH 1 (ENVELOPE BODYSTRUCTURE BODY.PEEK[HEADER] BODY.PEEK[TEXT])");
        client.AssertOk(reply);
        Assert.Equal("* 1 FETCH (ENVELOPE (NIL NIL NIL NIL NIL NIL NIL NIL NIL NIL) BODYSTRUCTURE (\"text\" \"plain\" (\"charset\" \"us-ascii\") NIL NIL \"7bit\" 3 1 NIL NIL NIL NIL) BODY[HEADER] {0}\r\n BODY[TEXT] {3}\r\nx\r\n)", reply.Untagged.Single());
        Assert.DoesNotContain(server.Log.Lines, line => line.StartsWith("Error", StringComparison.Ordinal));
    }
}
