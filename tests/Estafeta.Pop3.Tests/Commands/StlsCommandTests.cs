using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Commands;

public sealed class StlsCommandTests
{
    [Fact]
    public async Task Plaintext_login_is_refused_before_stls()
    {
        await using var server = Pop3Harness.Start(o => o with { AllowPlaintextAuth = false });
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.ConnectAsync();

        var user = await client.CommandAsync("USER alice");
        var pass = await client.CommandAsync("PASS secret");

        Assert.Equal("-ERR [AUTH] Plaintext login is not allowed on an unencrypted connection; send STLS first, or connect to the POP3 port that starts with TLS (995)", user);
        Assert.Equal(user, pass);
        Assert.Equal(0, server.Backend.AuthenticateCalls);
    }

    [Fact]
    public async Task Login_works_after_stls()
    {
        await using var server = Pop3Harness.Start(o => o with { AllowPlaintextAuth = false });
        server.Backend.AddAccount("alice", "secret", Messages.Short);
        await using var client = await server.ConnectAsync();

        Assert.Equal("+OK Begin TLS negotiation", await client.CommandAsync("STLS"));
        await client.HandshakeAsync();
        await client.LoginAsync("alice", "secret");

        Assert.Equal("+OK 1 " + Messages.Short.Length, await client.CommandAsync("STAT"));
    }

    [Fact]
    public async Task Stls_discards_commands_sent_before_the_handshake()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.ConnectAsync();

        await client.SendAsync("STLS\r\nUSER alice\r\n");
        Assert.Equal("+OK Begin TLS negotiation", await client.ReadLineAsync());
        await client.HandshakeAsync();

        Assert.Equal("-ERR Send USER first", await client.CommandAsync("PASS secret"));
    }

    [Fact]
    public async Task Stls_forgets_a_user_name_given_before_it()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("USER alice");

        await client.CommandAsync("STLS");
        await client.HandshakeAsync();

        Assert.Equal("-ERR Send USER first", await client.CommandAsync("PASS secret"));
    }

    [Fact]
    public async Task Stls_on_a_tls_connection_is_refused()
    {
        await using var server = Pop3Harness.Start();
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("STLS");
        await client.HandshakeAsync();

        Assert.Equal("-ERR Already using TLS", await client.CommandAsync("STLS"));
    }

    [Fact]
    public async Task Stls_on_an_implicit_tls_connection_is_refused()
    {
        await using var server = Pop3Harness.Start(implicitTls: true);
        await using var client = await server.ConnectAsync();

        Assert.Equal("-ERR Already using TLS", await client.CommandAsync("STLS"));
    }

    [Fact]
    public async Task Stls_without_a_certificate_is_refused()
    {
        await using var server = Pop3Harness.Start(o => o with { Certificate = null });
        await using var client = await server.ConnectAsync();

        Assert.Equal("-ERR STLS is not available", await client.CommandAsync("STLS"));
        Assert.Equal("+OK Send PASS", await client.CommandAsync("USER alice"));
    }

    [Fact]
    public async Task Stls_when_the_certificate_cannot_be_loaded_is_a_temporary_error()
    {
        await using var server = Pop3Harness.Start(o => o with { Certificate = () => throw new InvalidOperationException("no key") });
        await using var client = await server.ConnectAsync();

        Assert.StartsWith("-ERR [SYS/TEMP] ", await client.CommandAsync("STLS"));
        Assert.Equal("+OK Send PASS", await client.CommandAsync("USER alice"));
    }

    [Fact]
    public async Task Stls_after_login_is_not_allowed()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.LoginAsync();

        Assert.Equal("-ERR STLS is not allowed in the TRANSACTION state", await client.CommandAsync("STLS"));
    }
}
