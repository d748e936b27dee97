using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Commands;

public sealed class MailCommandTests
{
    [Fact]
    public async Task Mail_before_helo_is_rejected_with_503()
    {
        await using var server = new TestServer();
        await using var client = await server.ConnectAsync();
        Assert.Equal("503 5.5.1 Send HELO/EHLO first", await client.CommandAsync("MAIL FROM:<a@example.test>", "503"));
        Assert.Empty(server.Policy.Senders);
    }

    [Fact]
    public async Task Mail_reaches_the_policy_with_its_parameters()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        Assert.Equal("250 2.1.0 Sender ok", await client.CommandAsync("MAIL FROM:<a@example.test> SIZE=500 BODY=8BITMIME RET=HDRS ENVID=E1", "250"));
        var from = Assert.Single(server.Policy.Senders);
        Assert.Equal(new ReversePath("a@example.test") { Size = 500, Body = BodyType.EightBitMime, Return = DsnReturn.Headers, EnvelopeId = "E1" }, from);
    }

    [Fact]
    public async Task The_null_sender_is_accepted()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<>", "250");
        Assert.True(Assert.Single(server.Policy.Senders).IsNull);
    }

    [Fact]
    public async Task Nested_mail_is_rejected_with_503()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        Assert.Equal("503 5.5.1 Nested MAIL command", await client.CommandAsync("MAIL FROM:<b@example.test>", "503"));
    }

    [Fact]
    public async Task Mail_with_a_size_over_the_limit_is_rejected_with_552()
    {
        await using var server = new TestServer(o => o with { MaxMessageSize = 1000 });
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test> SIZE=1001", "552 5.3.4");
        await client.CommandAsync("MAIL FROM:<a@example.test> SIZE=1000", "250");
        Assert.Single(server.Policy.Senders);
    }

    [Fact]
    public async Task Submission_requires_authentication_before_mail()
    {
        await using var server = new TestServer(o => o with { Mode = SmtpMode.Submission, AllowPlaintextAuth = true });
        await using var client = await server.GreetAsync();
        Assert.Equal("530 5.7.0 Authentication required", await client.CommandAsync("MAIL FROM:<alice@example.test>", "530"));
        Assert.Empty(server.Policy.Senders);
    }

    [Fact]
    public async Task A_policy_refusal_is_passed_to_the_client()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        Assert.Equal("550 5.7.1 Sender blocked", await client.CommandAsync("MAIL FROM:<blocked@example.test>", "550"));
        await client.CommandAsync("RCPT TO:<b@example.test>", "503 5.5.1");
    }

    [Fact]
    public async Task Bad_parameters_are_rejected_with_555()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test> XYZ=1", "555 5.5.4");
        await client.CommandAsync("MAIL FROM:<a@example.test> SIZE=1 SIZE=1", "555 5.5.4");
        Assert.Empty(server.Policy.Senders);
    }

    [Fact]
    public async Task A_utf8_sender_needs_smtputf8()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<josé@ejemplo.test>", "553 5.6.7");
        await client.CommandAsync("MAIL FROM:<josé@ejemplo.test> SMTPUTF8", "250");
        var from = Assert.Single(server.Policy.Senders);
        Assert.Equal("josé@ejemplo.test", from.Address);
        Assert.True(from.SmtpUtf8);
    }

    [Fact]
    public async Task A_bad_address_is_rejected_with_501()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a..b@example.test>", "501 5.1.7");
        await client.CommandAsync("MAIL FROM:a@example.test", "501 5.1.7");
        await client.CommandAsync("MAIL TO:<a@example.test>", "501 5.5.4");
    }
}
