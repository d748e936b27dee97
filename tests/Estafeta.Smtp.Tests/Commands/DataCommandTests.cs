using System.Text;
using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Commands;

public sealed class DataCommandTests
{
    private static async Task<RawClient> TransactionAsync(TestServer server, string from = "MAIL FROM:<a@example.test>")
    {
        var client = await server.GreetAsync();
        await client.CommandAsync(from, "250");
        await client.CommandAsync("RCPT TO:<b@example.test>", "250");
        return client;
    }

    [Fact]
    public async Task A_message_is_unstuffed_and_committed()
    {
        await using var server = new TestServer();
        await using var client = await TransactionAsync(server);
        await client.CommandAsync("DATA", "354 ");
        await client.SendAsync("Subject: hi\r\n\r\n..leading dot\r\nlast line\r\n.\r\n");
        Assert.Equal("250 2.0.0 Ok: queued as QUEUED1", await client.ReadReplyAsync());
        var message = server.Sink.Single();
        Assert.Equal("Subject: hi\r\n\r\n.leading dot\r\nlast line\r\n", Encoding.ASCII.GetString(message.Content));
        Assert.Equal("a@example.test", message.From.Address);
        Assert.Equal("b@example.test", Assert.Single(message.Recipients).Address);
        Assert.Equal(message.Content.Length, message.Body.Length);
        Assert.Equal("client.example.test", message.Session.HeloName);
    }

    [Fact]
    public async Task Data_before_mail_is_rejected_with_503()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("DATA", "503 5.5.1");
        Assert.Equal(0, server.Sink.Begun);
    }

    [Fact]
    public async Task Data_without_valid_recipients_is_rejected_with_554_and_no_354()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.SendAsync("MAIL FROM:<a@example.test>\r\nRCPT TO:<unknown1@example.test>\r\nRCPT TO:<unknown2@example.test>\r\nDATA\r\n");
        await client.ExpectAsync("250");
        await client.ExpectAsync("550 5.1.1");
        await client.ExpectAsync("550 5.1.1");
        Assert.Equal("554 5.5.1 No valid recipients", await client.ReadReplyAsync());
        await client.CommandAsync("NOOP", "250");
        Assert.Equal(0, server.Sink.Begun);
    }

    [Fact]
    public async Task Bare_lf_dot_lf_does_not_end_data()
    {
        await using var server = new TestServer();
        await using var client = await TransactionAsync(server);
        await client.CommandAsync("DATA", "354 ");
        await client.SendAsync("first\n.\nMAIL FROM:<smuggled@example.test>\n");
        await client.SendAsync("second\r\n.\n\r\nthird\r\n.\r\n");
        await client.ExpectAsync("250 2.0.0");
        var message = server.Sink.Single();
        Assert.Equal("first\r\n\r\nMAIL FROM:<smuggled@example.test>\r\nsecond\r\n\r\n\r\nthird\r\n", Encoding.ASCII.GetString(message.Content));
        Assert.True(message.Body.HadBareLineBreaks);
        Assert.Single(server.Policy.Senders);
    }

    [Fact]
    public async Task Oversized_message_is_read_to_the_end_then_refused_with_552()
    {
        await using var server = new TestServer(o => o with { MaxMessageSize = 1000 });
        await using var client = await TransactionAsync(server);
        await client.CommandAsync("DATA", "354 ");
        var line = new string('x', 98) + "\r\n";
        await client.SendAsync(string.Concat(Enumerable.Repeat(line, 50)) + "MAIL FROM:<inside@example.test>\r\n.\r\n");
        Assert.Equal("552 5.3.4 Message size exceeds fixed maximum message size of 1000 bytes", await client.ReadReplyAsync());
        await client.CommandAsync("NOOP", "250");
        Assert.Empty(server.Sink.Committed);
        Assert.Equal(1, server.Sink.Discarded);
        Assert.Single(server.Policy.Senders);
        await client.CommandAsync("RCPT TO:<b@example.test>", "503 5.5.1");
    }

    [Fact]
    public async Task A_connection_closed_during_data_commits_nothing()
    {
        await using var server = new TestServer();
        var client = await TransactionAsync(server);
        await client.CommandAsync("DATA", "354 ");
        await client.SendAsync("Subject: cut off\r\n\r\nhalf a mess");
        await client.DisposeAsync();
        await server.Listener.StopAsync(TimeSpan.FromSeconds(10));
        Assert.Empty(server.Sink.Committed);
        Assert.Equal(1, server.Sink.Discarded);
    }

    [Fact]
    public async Task Eight_bit_data_without_8bitmime_is_accepted_and_flagged()
    {
        await using var server = new TestServer();
        await using var client = await TransactionAsync(server);
        await client.CommandAsync("DATA", "354 ");
        await client.SendAsync("Subject: café\r\n\r\nolé\r\n.\r\n");
        await client.ExpectAsync("250");
        var message = server.Sink.Single();
        Assert.True(message.Body.HasEightBit);
        Assert.Null(message.From.Body);
        Assert.Equal("Subject: café\r\n\r\nolé\r\n", Encoding.UTF8.GetString(message.Content));
    }

    [Fact]
    public async Task The_sinks_reply_is_sent_to_the_client()
    {
        await using var server = new TestServer();
        server.Sink.CommitReply = new SmtpReply(554, "5.7.1", "Spam detected");
        await using var client = await TransactionAsync(server);
        await client.CommandAsync("DATA", "354 ");
        await client.SendAsync("spam\r\n.\r\n");
        Assert.Equal("554 5.7.1 Spam detected", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Data_with_an_argument_is_rejected_with_501()
    {
        await using var server = new TestServer();
        await using var client = await TransactionAsync(server);
        await client.CommandAsync("DATA now", "501 5.5.4");
        await client.CommandAsync("DATA", "354 ");
    }

    [Fact]
    public async Task The_transaction_ends_after_data()
    {
        await using var server = new TestServer();
        await using var client = await TransactionAsync(server);
        await client.CommandAsync("DATA", "354 ");
        await client.SendAsync("x\r\n.\r\n");
        await client.ExpectAsync("250");
        await client.CommandAsync("RCPT TO:<c@example.test>", "503 5.5.1");
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
    }

    [Fact]
    public async Task Two_messages_in_one_session_are_both_committed()
    {
        await using var server = new TestServer();
        await using var client = await TransactionAsync(server);
        await client.CommandAsync("DATA", "354 ");
        await client.SendAsync("one\r\n.\r\n");
        await client.ExpectAsync("250");
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("RCPT TO:<c@example.test>", "250");
        await client.CommandAsync("DATA", "354 ");
        await client.SendAsync("two\r\n.\r\n");
        await client.ExpectAsync("250");
        Assert.Equal(["one\r\n", "two\r\n"], server.Sink.Committed.Select(m => Encoding.ASCII.GetString(m.Content)));
    }
}
