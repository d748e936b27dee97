using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Session;

public sealed class SessionLimitsTests
{
    [Fact]
    public async Task A_line_longer_than_the_limit_closes_the_connection_with_bye()
    {
        await using var server = ImapHarness.Start(o => o with { MaxLineLength = 8192, MaxCommandSize = 8192 });
        await using var client = await server.ConnectAsync();
        await client.SendAsync("a NOOP " + new string('x', 20_000) + "\r\n");
        Assert.StartsWith("* BYE [TOOBIG]", await client.ReadLineAsync());
        await client.AssertClosedAsync();
    }

    [Fact]
    public async Task Too_many_bad_commands_in_a_row_close_the_connection()
    {
        await using var server = ImapHarness.Start(o => o with { MaxBadCommands = 3 });
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("BOGUS");
        await client.CommandAsync("BOGUS");
        await client.SendAsync("x BOGUS\r\n");
        Assert.StartsWith("* BYE", await client.ReadLineAsync());
    }

    [Fact]
    public async Task A_command_without_a_tag_gets_an_untagged_bad()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("\r\n");
        Assert.StartsWith("* BAD", await client.ReadLineAsync());
        client.AssertOk(await client.CommandAsync("NOOP"));
    }

    [Theory]
    [InlineData("a NOOP \rx\r\n")]
    [InlineData("a NOOP \0x\r\n")]
    public async Task A_bad_answer_quoting_the_command_leaves_out_its_cr_and_nul(string command)
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.ConnectAsync();
        await client.SendAsync(command);
        Assert.Equal("a BAD Unexpected characters at the end of the command near \"?x\"", (await client.ReadReplyAsync("a")).Tagged);
        client.AssertOk(await client.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task A_bad_answer_quoting_the_command_shows_only_ascii_of_it()
    {
        // An IMAP4rev1 client's response text is 7-bit (RFC 3501 §9); "ñ" is two octets of UTF-8.
        await using var server = ImapHarness.Start();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("a NOOP ñx\r\n");
        Assert.Equal("a BAD Unexpected characters at the end of the command near \"??x\"", (await client.ReadReplyAsync("a")).Tagged);
    }

    [Fact]
    public async Task Graceful_stop_says_bye_to_waiting_sessions_and_releases_the_store()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.SelectInboxAsync();
        await server.StopAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("* BYE [UNAVAILABLE]", await client.ReadLineAsync());
        await client.AssertClosedAsync();
        Assert.Equal(0, server.Backend.OpenStores);
        Assert.Equal(0, server.Server.SessionsOf(server.Alice.Id));
    }

    [Fact]
    public async Task Pipelined_commands_are_answered_in_order()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        await client.SendAsync("p1 NOOP\r\np2 SELECT INBOX\r\np3 NOOP\r\n");
        client.AssertOk(await client.ReadReplyAsync("p1"));
        client.AssertOk(await client.ReadReplyAsync("p2"));
        client.AssertOk(await client.ReadReplyAsync("p3"));
    }

    [Fact]
    public void Options_below_the_rfc_minimums_are_refused_at_start()
    {
        Assert.Throws<ArgumentException>(() => (ImapHarness.DefaultOptions with { IdleTimeout = TimeSpan.FromMinutes(5) }).Validate());
        Assert.Throws<ArgumentException>(() => (ImapHarness.DefaultOptions with { MaxLineLength = 100 }).Validate());
    }
}
