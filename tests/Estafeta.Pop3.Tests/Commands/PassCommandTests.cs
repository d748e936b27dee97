using System.Net;
using Estafeta.Net;
using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Commands;

public sealed class PassCommandTests
{
    [Fact]
    public async Task Pass_with_the_right_password_opens_the_maildrop()
    {
        await using var server = Pop3Harness.Start();
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.WithDots);
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("USER alice");

        var reply = await client.CommandAsync("PASS secret");

        var octets = Messages.Short.Length + Messages.WithDots.Length;
        Assert.Equal($"+OK Logged in, 2 messages ({octets} octets)", reply);
        Assert.True(account.IsLocked);
    }

    [Fact]
    public async Task Pass_without_user_is_refused()
    {
        await using var server = Pop3Harness.Start();
        await using var client = await server.ConnectAsync();

        Assert.Equal("-ERR Send USER first", await client.CommandAsync("PASS secret"));
    }

    [Fact]
    public async Task Password_may_contain_spaces()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "correct horse  battery");
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("USER alice");

        Assert.StartsWith("+OK", await client.CommandAsync("PASS correct horse  battery"));
    }

    [Fact]
    public async Task Failed_login_is_delayed_then_refused()
    {
        var clock = new ManualClock();
        var delay = TimeSpan.FromSeconds(2);
        await using var server = Pop3Harness.Start(clock: clock, throttle: new LoginThrottle(clock, firstDelay: delay));
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("USER alice");

        await client.SendLineAsync("PASS wrong");
        await clock.WaitForTimerAsync(delay);
        Assert.False(client.HasUnreadData);
        clock.Advance(delay);

        Assert.Equal("-ERR [AUTH] Invalid login", await client.ReadLineAsync());
        await client.CommandAsync("USER alice");
        await client.SendLineAsync("PASS wrong again");
        await clock.WaitForTimerAsync(delay * 2);
        clock.Advance(delay * 2);
        Assert.Equal("-ERR [AUTH] Invalid login", await client.ReadLineAsync());
    }

    [Fact]
    public async Task Blocked_address_is_refused_without_checking_the_password()
    {
        await using var server = Pop3Harness.Start(throttle: new LoginThrottle(TimeProvider.System, maxFailures: 2, firstDelay: TimeSpan.Zero));
        server.Backend.AddAccount("alice", "secret");
        server.Throttle.RecordFailure(IPAddress.Loopback);
        server.Throttle.RecordFailure(IPAddress.Loopback);
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("USER alice");

        var reply = await client.CommandAsync("PASS secret");

        Assert.StartsWith("-ERR [LOGIN-DELAY] ", reply);
        Assert.Equal(0, server.Backend.AuthenticateCalls);
    }

    [Fact]
    public async Task Second_session_gets_in_use()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.Short);
        await using var first = await server.LoginAsync();
        await using var second = await server.ConnectAsync();
        await second.CommandAsync("USER alice");

        var reply = await second.CommandAsync("PASS secret");

        Assert.StartsWith("-ERR [IN-USE] ", reply);
        Assert.Equal("+OK 1 " + Messages.Short.Length, await first.CommandAsync("STAT"));
        Assert.StartsWith("-ERR STAT is not allowed", await second.CommandAsync("STAT"));
    }

    [Fact]
    public async Task Login_works_again_once_the_first_session_quits()
    {
        await using var server = Pop3Harness.Start();
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short);
        await using var first = await server.LoginAsync();
        await using var second = await server.ConnectAsync();
        await second.CommandAsync("USER alice");
        Assert.StartsWith("-ERR [IN-USE]", await second.CommandAsync("PASS secret"));

        await first.CommandAsync("QUIT");
        await account.Released;

        await second.LoginAsync("alice", "secret");
    }

    [Fact]
    public async Task Store_failure_during_login_is_a_temporary_error()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret");
        server.Backend.AuthenticateFailure = new InvalidOperationException("database is locked");
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("USER alice");

        Assert.StartsWith("-ERR [SYS/TEMP] ", await client.CommandAsync("PASS secret"));
        server.Backend.AuthenticateFailure = null;
        await client.LoginAsync("alice", "secret");
    }

    [Fact]
    public async Task Plaintext_login_is_allowed_on_an_implicit_tls_connection()
    {
        await using var server = Pop3Harness.Start(o => o with { AllowPlaintextAuth = false }, implicitTls: true);
        server.Backend.AddAccount("alice", "secret", Messages.Short);
        await using var client = await server.ConnectAsync();

        Assert.Equal("+OK Send PASS", await client.CommandAsync("USER alice"));
        Assert.StartsWith("+OK Logged in, 1 message ", await client.CommandAsync("PASS secret"));
    }
}
