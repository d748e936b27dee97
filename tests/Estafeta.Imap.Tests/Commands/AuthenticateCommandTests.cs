using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class AuthenticateCommandTests
{
    [Fact]
    public async Task Authenticate_plain_with_an_initial_response_logs_in()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.ConnectAsync();
        var token = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("\0alice\0secret"));
        client.AssertOk(await client.CommandAsync("AUTHENTICATE PLAIN " + token));
    }

    [Fact]
    public async Task Authenticate_plain_after_a_continuation_logs_in()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("a AUTHENTICATE PLAIN\r\n");
        Assert.Equal("+ ", await client.ReadLineAsync());
        await client.SendAsync(Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("\0alice\0secret")) + "\r\n");
        client.AssertOk(await client.ReadReplyAsync("a"));
    }

    [Fact]
    public async Task A_cancelled_authentication_answers_bad_and_the_session_goes_on()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("a AUTHENTICATE PLAIN\r\n");
        await client.ReadLineAsync();
        await client.SendAsync("*\r\n");
        Assert.StartsWith("a BAD", (await client.ReadReplyAsync("a")).Tagged);
        client.AssertOk(await client.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task A_plain_message_with_a_line_break_in_the_login_is_refused_and_not_tried()
    {
        // RFC 4616 keeps CR and LF out of every part; a login with one reached the account look-up and the log.
        await using var server = ImapHarness.Start();
        await using var client = await server.ConnectAsync();
        var token = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes("\0alice\r\nforged\0secret"));
        var reply = await client.CommandAsync("AUTHENTICATE PLAIN " + token);
        Assert.Contains("may not hold CR or LF", reply.Tagged, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Log.Lines, line => line.Contains("forged", StringComparison.Ordinal));
        client.AssertOk(await client.CommandAsync("NOOP"));
    }
}
