using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Commands;

public sealed class HeloCommandTests
{
    [Fact]
    public async Task Helo_is_answered_with_the_host_name()
    {
        await using var server = new TestServer();
        await using var client = await server.ConnectAsync();
        Assert.Equal("250 mx.example.test", await client.CommandAsync("HELO client.example.test", "250"));
    }

    [Fact]
    public async Task Helo_without_a_name_is_rejected_with_501()
    {
        await using var server = new TestServer();
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("HELO", "501 5.5.4");
        await client.CommandAsync("MAIL FROM:<a@example.test>", "503 5.5.1");
    }

    [Fact]
    public async Task Helo_ends_a_mail_transaction()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("HELO again.example.test", "250");
        await client.CommandAsync("RCPT TO:<b@example.test>", "503 5.5.1");
    }

    [Fact]
    public async Task Helo_makes_a_plain_smtp_session()
    {
        await using var server = new TestServer();
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("HELO client.example.test", "250");
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        var session = Assert.Single(server.Policy.Sessions);
        Assert.Equal("client.example.test", session.HeloName);
        Assert.False(session.Esmtp);
    }
}
