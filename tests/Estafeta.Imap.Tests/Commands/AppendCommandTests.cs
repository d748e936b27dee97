using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class AppendCommandTests
{
    [Fact]
    public async Task Append_stores_the_message_with_flags_and_date_and_answers_appenduid()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        var message = "Subject: draft\r\n\r\nHola\r\n";
        await client.SendAsync($"a APPEND Drafts (\\Draft \\Seen) \"05-Jan-2024 10:00:00 +0100\" {{{message.Length}}}\r\n");
        Assert.StartsWith("+ ", await client.ReadLineAsync());
        await client.SendAsync(message + "\r\n");
        var reply = await client.ReadReplyAsync("a");
        Assert.Matches(@"^a OK \[APPENDUID \d+ 1\] APPEND completed$", reply.Tagged);
        client.AssertOk(await client.CommandAsync("SELECT Drafts"));
        var fetch = await client.CommandAsync("FETCH 1 (FLAGS INTERNALDATE BODY.PEEK[])");
        Assert.Contains("FLAGS (\\Seen \\Draft \\Recent) INTERNALDATE \"05-Jan-2024 10:00:00 +0100\"", fetch.Untagged[0]);
        Assert.EndsWith(message + ")", fetch.Untagged[0]);
    }

    [Fact]
    public async Task Append_with_a_non_synchronizing_literal_needs_no_continuation()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        var message = "Subject: x\r\n\r\ny\r\n";
        await client.SendAsync($"a APPEND INBOX {{{message.Length}+}}\r\n{message}\r\n");
        client.AssertOk(await client.ReadReplyAsync("a"));
    }

    [Theory]
    [InlineData("01-Apr-2024 01:46:01 +1459")]
    [InlineData("01-Jan-0001 00:00:00 +0100")]
    [InlineData("31-Dec-9999 23:59:59 -0100")]
    public async Task Append_with_a_date_time_no_instant_can_hold_is_bad(string date)
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        await client.SendAsync($"a APPEND INBOX \"{date}\" {{3+}}\r\nx\r\n\r\n");
        Assert.StartsWith("a BAD Invalid date-time", (await client.ReadReplyAsync("a")).Tagged);
        Assert.DoesNotContain(server.Log.Lines, line => line.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Append_to_a_missing_mailbox_answers_trycreate()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        await client.SendAsync("a APPEND Nowhere {3+}\r\nx\r\n\r\n");
        Assert.Equal("a NO [TRYCREATE] Mailbox does not exist", (await client.ReadReplyAsync("a")).Tagged);
    }

    [Fact]
    public async Task Append_larger_than_the_limit_is_refused_before_it_is_sent()
    {
        await using var server = ImapHarness.Start(o => o with { MaxMessageSize = 2048 });
        await using var client = await server.LoginAsync();
        await client.SendAsync("a APPEND INBOX {4096}\r\n");
        Assert.Equal("a NO [TOOBIG] Literal too large", await client.ReadLineAsync());
        client.AssertOk(await client.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task Append_into_the_selected_mailbox_is_announced_with_exists()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.SelectInboxAsync();
        await client.SendAsync("a APPEND INBOX {8+}\r\nSubj: x\r\n");
        Assert.Contains("* 1 EXISTS", (await client.ReadReplyAsync("a")).Untagged);
    }
}
