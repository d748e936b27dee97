using System.Text;
using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Commands;

public sealed class AuthCommandTests
{
    private static string Plain(string login, string password) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"\0{login}\0{password}"));

    [Fact]
    public async Task Auth_plain_with_an_initial_response_logs_in()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "contraseña", Messages.Short);
        await using var client = await server.ConnectAsync();

        var reply = await client.CommandAsync("AUTH PLAIN " + Plain("alice", "contraseña"));

        Assert.StartsWith("+OK Logged in, 1 message ", reply);
    }

    [Fact]
    public async Task Auth_plain_with_a_continuation_logs_in()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.ConnectAsync();

        Assert.Equal("+ ", await client.CommandAsync("auth plain"));
        Assert.StartsWith("+OK", await client.CommandAsync(Plain("alice", "secret")));
        Assert.StartsWith("+OK 0 0", await client.CommandAsync("STAT"));
    }

    [Fact]
    public async Task A_star_cancels_the_exchange_and_the_next_line_is_a_command_again()
    {
        await using var server = Pop3Harness.Start();
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("AUTH PLAIN");

        Assert.Equal("-ERR Authentication cancelled", await client.CommandAsync("*"));
        Assert.Equal("+OK Send PASS", await client.CommandAsync("USER alice"));
    }

    [Fact]
    public async Task Auth_plain_with_a_wrong_password_is_refused_with_the_auth_code()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.ConnectAsync();

        Assert.Equal("-ERR [AUTH] Invalid login", await client.CommandAsync("AUTH PLAIN " + Plain("alice", "guess")));
    }

    [Fact]
    public async Task Auth_plain_with_bad_base64_is_refused_and_the_session_goes_on()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("AUTH PLAIN");

        Assert.Equal("-ERR SASL response is not valid base64", await client.CommandAsync("%%%"));
        Assert.StartsWith("+OK", await client.CommandAsync("AUTH PLAIN " + Plain("alice", "secret")));
    }

    [Fact]
    public async Task Auth_with_an_unknown_mechanism_is_refused()
    {
        await using var server = Pop3Harness.Start();
        await using var client = await server.ConnectAsync();

        Assert.Equal("-ERR Unsupported SASL mechanism", await client.CommandAsync("AUTH CRAM-MD5"));
    }

    [Fact]
    public async Task Auth_without_arguments_lists_the_mechanisms()
    {
        await using var server = Pop3Harness.Start();
        await using var client = await server.ConnectAsync();

        var (status, lines) = await client.MultiLineCommandAsync("AUTH");

        Assert.StartsWith("+OK", status);
        Assert.Equal(["PLAIN"], lines);
    }

    [Fact]
    public async Task Auth_plain_before_tls_is_refused_when_plaintext_login_is_not_allowed()
    {
        await using var server = Pop3Harness.Start(o => o with { AllowPlaintextAuth = false });
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.ConnectAsync();

        Assert.StartsWith("-ERR [AUTH] ", await client.CommandAsync("AUTH PLAIN " + Plain("alice", "secret")));
        Assert.StartsWith("-ERR [AUTH] ", await client.CommandAsync("AUTH PLAIN"));
        Assert.Equal(0, server.Backend.AuthenticateCalls);
    }

    [Fact]
    public async Task A_too_long_response_ends_the_exchange()
    {
        await using var server = Pop3Harness.Start();
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("AUTH PLAIN");

        Assert.Equal("-ERR Line too long", await client.CommandAsync(new string('A', 2000)));
        Assert.Equal("+OK Send PASS", await client.CommandAsync("USER alice"));
    }

    [Fact]
    public async Task A_store_failure_during_the_exchange_ends_it()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AuthenticateFailure = new IOException("disk gone");
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("AUTH PLAIN");

        Assert.StartsWith("-ERR [SYS/TEMP] ", await client.CommandAsync(Plain("alice", "secret")));
        Assert.Equal("+OK Send PASS", await client.CommandAsync("USER alice"));
    }
}
