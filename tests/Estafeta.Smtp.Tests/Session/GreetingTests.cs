using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Session;

public sealed class GreetingTests
{
    [Fact]
    public async Task The_greeting_names_the_host()
    {
        await using var server = new TestServer();
        await using var client = await RawClient.ConnectAsync(server.EndPoint);
        Assert.Equal("220 mx.example.test ESMTP", await client.ReadReplyAsync());
    }

    [Fact]
    public async Task Too_many_connections_are_refused_with_421()
    {
        await using var server = new TestServer();
        Assert.Equal("421 4.7.0 mx.example.test Too many connections, try again later\r\n",
            System.Text.Encoding.ASCII.GetString(server.Server.TooManyConnectionsReply.Span));
    }

    [Fact]
    public async Task Implicit_tls_greets_after_the_handshake()
    {
        await using var server = new TestServer(implicitTls: true);
        await using var client = await RawClient.ConnectAsync(server.EndPoint);
        await client.StartTlsAsync();
        await client.ExpectAsync("220 mx.example.test ESMTP");
        await client.CommandAsync("EHLO client.example.test", "250");
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        Assert.NotNull(Assert.Single(server.Policy.Sessions).Tls);
    }

    [Fact]
    public async Task An_unknown_command_is_rejected_with_500()
    {
        await using var server = new TestServer();
        await using var client = await server.ConnectAsync();
        Assert.Equal("500 5.5.2 Command unrecognized", await client.CommandAsync("XYZZY", "500"));
        await client.CommandAsync("GET / HTTP/1.1", "500 5.5.2");
        await client.CommandAsync("", "500 5.5.2");
    }

    [Fact]
    public async Task Commands_are_case_insensitive()
    {
        await using var server = new TestServer();
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("ehlo client.example.test", "250");
        await client.CommandAsync("Mail From:<a@example.test>", "250");
        await client.CommandAsync("rcpt to:<b@example.test>", "250");
        await client.CommandAsync("data", "354");
    }

    [Fact]
    public async Task A_bare_lf_ends_a_command_line()
    {
        await using var server = new TestServer();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("EHLO client.example.test\nNOOP\n");
        await client.ExpectAsync("250-");
        await client.ExpectAsync("250 2.0.0");
    }

    [Fact]
    public async Task The_session_info_describes_the_connection()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        var session = Assert.Single(server.Policy.Sessions);
        Assert.Equal(SmtpMode.Mx, session.Mode);
        Assert.Equal(server.EndPoint, session.Local);
        Assert.Equal(System.Net.IPAddress.Loopback, session.Remote.Address);
        Assert.Null(session.Tls);
        Assert.Null(session.Principal);
        Assert.Matches("^[0-9a-f]{12}$", session.SessionId);
    }
}
