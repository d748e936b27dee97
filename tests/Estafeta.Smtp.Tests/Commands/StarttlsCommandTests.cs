using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Commands;

public sealed class StarttlsCommandTests
{
    [Fact]
    public async Task Starttls_upgrades_and_requires_a_new_ehlo()
    {
        await using var server = new TestServer(TestServer.WithTls);
        await using var client = await server.GreetAsync();
        Assert.Equal("220 2.0.0 Ready to start TLS", await client.CommandAsync("STARTTLS", "220"));
        await client.StartTlsAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "503 5.5.1 Send HELO/EHLO first");
        await client.CommandAsync("EHLO client.example.test", "250");
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        var session = Assert.Single(server.Policy.Sessions);
        Assert.NotNull(session.Tls);
    }

    [Fact]
    public async Task Starttls_discards_commands_sent_before_the_handshake()
    {
        await using var server = new TestServer(TestServer.WithTls);
        await using var client = await server.GreetAsync();
        await client.SendAsync("STARTTLS\r\nMAIL FROM:<evil@example.test>\r\n");
        await client.ExpectAsync("220 2.0.0");
        await client.StartTlsAsync();
        await client.CommandAsync("EHLO client.example.test", "250");
        await client.CommandAsync("RCPT TO:<b@example.test>", "503 5.5.1");
        await client.CommandAsync("NOOP", "250");
        Assert.Equal(0, client.Pending);
        Assert.Empty(server.Policy.Senders);
    }

    [Fact]
    public async Task Starttls_with_parameters_is_rejected_with_501()
    {
        await using var server = new TestServer(TestServer.WithTls);
        await using var client = await server.GreetAsync();
        await client.CommandAsync("STARTTLS now", "501 5.5.4");
        await client.CommandAsync("NOOP", "250");
    }

    [Fact]
    public async Task Starttls_when_already_secure_is_rejected_with_503()
    {
        await using var server = new TestServer(TestServer.WithTls, implicitTls: true);
        await using var client = await RawClient.ConnectAsync(server.EndPoint);
        await client.StartTlsAsync();
        await client.ExpectAsync("220 ");
        await client.CommandAsync("EHLO client.example.test", "250");
        await client.CommandAsync("STARTTLS", "503 5.5.1");
    }

    [Fact]
    public async Task Starttls_twice_is_rejected_with_503()
    {
        await using var server = new TestServer(TestServer.WithTls);
        await using var client = await server.GreetAsync();
        await client.CommandAsync("STARTTLS", "220");
        await client.StartTlsAsync();
        await client.CommandAsync("EHLO client.example.test", "250");
        await client.CommandAsync("STARTTLS", "503 5.5.1");
    }

    [Fact]
    public async Task Starttls_without_a_certificate_is_not_implemented()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("STARTTLS", "502 5.5.1");
    }

    [Fact]
    public async Task Starttls_in_a_transaction_is_rejected_with_503()
    {
        await using var server = new TestServer(TestServer.WithTls);
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("STARTTLS", "503 5.5.1");
    }

    [Fact]
    public async Task A_failed_handshake_closes_the_connection()
    {
        await using var server = new TestServer(TestServer.WithTls);
        await using var client = await server.GreetAsync();
        await client.CommandAsync("STARTTLS", "220");
        await client.SendAsync("this is not a TLS client hello\r\n");
        Assert.True(await client.IsClosedAsync());
    }
}
