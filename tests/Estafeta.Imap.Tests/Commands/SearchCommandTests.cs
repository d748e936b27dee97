using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class SearchCommandTests
{
    private static async Task<ImapTestClient> MailboxAsync(ImapHarness server)
    {
        server.Alice.Deliver("INBOX", Messages.Simple("Lunch plans", "chef@example.org", "Pasta at noon"), Estafeta.Imap.Store.MessageFlags.Seen, new DateTimeOffset(2024, 1, 2, 10, 0, 0, TimeSpan.Zero));
        server.Alice.Deliver("INBOX", Messages.File("campaign.eml"), internalDate: new DateTimeOffset(2024, 1, 4, 10, 0, 0, TimeSpan.Zero));
        server.Alice.Deliver("INBOX", Messages.Simple("Reunión", "ana@example.com", "Nos vemos mañana"), Estafeta.Imap.Store.MessageFlags.Flagged, new DateTimeOffset(2024, 2, 1, 10, 0, 0, TimeSpan.Zero));
        return await server.SelectInboxAsync();
    }

    [Theory]
    [InlineData("SEARCH ALL", "* SEARCH 1 2 3")]
    [InlineData("SEARCH SEEN", "* SEARCH 1")]
    [InlineData("SEARCH UNSEEN NOT FLAGGED", "* SEARCH 2")]
    [InlineData("SEARCH OR FLAGGED SEEN", "* SEARCH 1 3")]
    [InlineData("SEARCH FROM chef", "* SEARCH 1")]
    [InlineData("SEARCH SUBJECT \"ofertas de verano\"", "* SEARCH 2")]
    [InlineData("SEARCH CHARSET UTF-8 BODY \"mañana\"", "* SEARCH 3")]
    [InlineData("SEARCH TEXT pasta", "* SEARCH 1")]
    [InlineData("SEARCH SINCE 3-Jan-2024 BEFORE 1-Feb-2024", "* SEARCH 2")]
    [InlineData("SEARCH ON 1-Feb-2024", "* SEARCH 3")]
    [InlineData("SEARCH SENTSINCE 1-Jan-2024 LARGER 1000", "* SEARCH 2")]
    [InlineData("SEARCH 2:* HEADER List-Unsubscribe tienda", "* SEARCH 2")]
    [InlineData("UID SEARCH UID 2:3 (NOT SEEN)", "* SEARCH 2 3")]
    [InlineData("SEARCH KEYWORD $Junk", "* SEARCH")]
    public async Task Search_keys_select_the_right_messages(string command, string expected)
    {
        await using var server = ImapHarness.Start();
        await using var client = await MailboxAsync(server);
        var reply = await client.CommandAsync(command);
        client.AssertOk(reply);
        Assert.Equal(expected, reply.Untagged.Single());
    }

    [Fact]
    public async Task Not_and_or_nested_past_the_limit_are_refused_and_the_session_goes_on()
    {
        await using var server = ImapHarness.Start();
        await using var client = await MailboxAsync(server);

        // Thousands of NOT in one line exhausted the stack of the search and stopped the whole server.
        var nots = await client.CommandAsync("SEARCH " + string.Concat(Enumerable.Repeat("NOT ", 8000)) + "ALL");
        Assert.StartsWith("BAD", nots.Tagged.Split(' ', 2)[1], StringComparison.Ordinal);
        Assert.Contains("nested too deeply", nots.Tagged, StringComparison.Ordinal);
        var ors = await client.CommandAsync("SEARCH " + string.Concat(Enumerable.Repeat("OR ", 3000)) + string.Join(' ', Enumerable.Repeat("SEEN", 3001)));
        Assert.Contains("nested too deeply", ors.Tagged, StringComparison.Ordinal);
        // Within the limit they still work, and so does the session.
        var within = await client.CommandAsync("SEARCH " + string.Concat(Enumerable.Repeat("NOT NOT ", 15)) + "FLAGGED");
        client.AssertOk(within);
        Assert.Equal("* SEARCH 3", within.Untagged.Single());
        Assert.Equal("* SEARCH 1 3", (await client.CommandAsync("SEARCH OR FLAGGED SEEN")).Untagged.Single());
    }

    [Fact]
    public async Task Search_return_gives_an_esearch_response()
    {
        await using var server = ImapHarness.Start();
        await using var client = await MailboxAsync(server);
        var reply = await client.CommandAsync("UID SEARCH RETURN (MIN MAX COUNT ALL) ALL");
        Assert.Equal("* ESEARCH (TAG \"A003\") UID MIN 1 MAX 3 COUNT 3 ALL 1:3", reply.Untagged.Single());
    }

    [Fact]
    public async Task A_saved_search_result_is_what_dollar_names_in_later_commands()
    {
        await using var server = ImapHarness.Start();
        await using var client = await MailboxAsync(server);

        // SAVE alone answers with no ESEARCH (RFC 5182 §2.4); "$" then names messages 1 and 3 to every command.
        var saved = await client.CommandAsync("SEARCH RETURN (SAVE) OR FLAGGED SEEN");
        client.AssertOk(saved);
        Assert.Empty(saved.Untagged);
        Assert.Equal(["* 1 FETCH (UID 1)", "* 3 FETCH (UID 3)"], (await client.CommandAsync("FETCH $ (UID)")).Untagged);
        Assert.Equal(["* 1 FETCH (UID 1)", "* 3 FETCH (UID 3)"], (await client.CommandAsync("UID FETCH $ (UID)")).Untagged);
        Assert.Equal("* SEARCH 3", (await client.CommandAsync("SEARCH $ FLAGGED")).Untagged.Single());
        Assert.Equal("* SEARCH 2", (await client.CommandAsync("SEARCH NOT $")).Untagged.Single());
        Assert.Equal("* SEARCH 1 3", (await client.CommandAsync("UID SEARCH UID $")).Untagged.Single());
        client.AssertOk(await client.CommandAsync("STORE $ +FLAGS.SILENT (\\Deleted)"));
        Assert.Equal("* SEARCH 1 3", (await client.CommandAsync("SEARCH DELETED")).Untagged.Single());

        // With other options: the ESEARCH answer, and MIN alone keeps only the lowest.
        Assert.Equal("* ESEARCH (TAG \"A011\") MIN 1", (await client.CommandAsync("SEARCH RETURN (SAVE MIN) ALL")).Untagged.Single());
        Assert.Equal(["* 1 FETCH (UID 1)"], (await client.CommandAsync("FETCH $ (UID)")).Untagged);

        // A SEARCH ... SAVE that fails empties it; "$" mixed with numbers is not a sequence set.
        Assert.StartsWith("A013 BAD", (await client.CommandAsync("SEARCH RETURN (SAVE) NOSUCHKEY")).Tagged, StringComparison.Ordinal);
        Assert.Empty((await client.CommandAsync("FETCH $ (UID)")).Untagged);
        Assert.StartsWith("A015 BAD", (await client.CommandAsync("FETCH 1,$ (UID)")).Tagged, StringComparison.Ordinal);
        Assert.StartsWith("A016 BAD", (await client.CommandAsync("FETCH $1 (UID)")).Tagged, StringComparison.Ordinal);

        // A new selection starts with nothing saved.
        client.AssertOk(await client.CommandAsync("SEARCH RETURN (SAVE) ALL"));
        client.AssertOk(await client.CommandAsync("SELECT INBOX"));
        Assert.Empty((await client.CommandAsync("FETCH $ (UID)")).Untagged);
    }

    [Fact]
    public async Task A_saved_result_leaves_out_messages_expunged_since()
    {
        await using var server = ImapHarness.Start();
        await using var client = await MailboxAsync(server);
        client.AssertOk(await client.CommandAsync("UID SEARCH RETURN (SAVE) ALL"));
        client.AssertOk(await client.CommandAsync("STORE 2 +FLAGS.SILENT (\\Deleted)"));
        client.AssertOk(await client.CommandAsync("EXPUNGE"));

        Assert.Equal(["* 1 FETCH (UID 1)", "* 2 FETCH (UID 3)"], (await client.CommandAsync("FETCH $ (UID)")).Untagged);
    }

    [Fact]
    public async Task Search_with_an_unknown_charset_answers_badcharset()
    {
        await using var server = ImapHarness.Start();
        await using var client = await MailboxAsync(server);
        Assert.Contains("[BADCHARSET (UTF-8 US-ASCII)]", (await client.CommandAsync("SEARCH CHARSET KOI8-R ALL")).Tagged);
    }

    [Fact]
    public async Task Search_modseq_reports_the_highest_modseq_found()
    {
        await using var server = ImapHarness.Start();
        await using var client = await MailboxAsync(server);
        var reply = await client.CommandAsync("SEARCH MODSEQ 1");
        Assert.Matches(@"^\* SEARCH 1 2 3 \(MODSEQ \d+\)$", reply.Untagged.Single());
    }

    [Fact]
    public async Task A_message_whose_header_cannot_be_parsed_matches_no_header_key_and_fails_no_search()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", "x\r\n");
        server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.SelectInboxAsync();
        Assert.Equal("* SEARCH 2", (await client.CommandAsync("SEARCH SUBJECT Hello")).Untagged.Single());
        Assert.Equal("* SEARCH 1", (await client.CommandAsync("SEARCH NOT FROM bob")).Untagged.Single());
        Assert.DoesNotContain(server.Log.Lines, line => line.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Text_and_body_keys_search_all_the_octets_of_a_message_whose_header_cannot_be_parsed()
    {
        // FETCH shows such a message as a body without header; SEARCH reads it the same way.
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", "línea sin cabecera\r\nel envío de mañana\r\n");
        server.Alice.Deliver("INBOX", Messages.Simple());
        await using var client = await server.SelectInboxAsync();
        Assert.Equal("* SEARCH 1", (await client.CommandAsync("SEARCH CHARSET UTF-8 BODY {6+}\r\nENVÍO")).Untagged.Single());
        Assert.Equal("* SEARCH 1", (await client.CommandAsync("SEARCH TEXT cabecera")).Untagged.Single());
        Assert.Equal("* SEARCH", (await client.CommandAsync("SEARCH HEADER X-Nothing \"\" BODY cabecera")).Untagged.Single());
        Assert.DoesNotContain(server.Log.Lines, line => line.StartsWith("Error", StringComparison.Ordinal));
    }
}
