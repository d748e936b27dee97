using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Session;

public sealed class SessionLimitsTests
{
    [Fact]
    public async Task The_greeting_names_the_host()
    {
        await using var server = Pop3Harness.Start();
        await using var client = await server.ConnectAsync();

        Assert.Equal("+OK pop.example.test Estafeta POP3 server ready", client.Greeting);
    }

    [Fact]
    public async Task Unknown_commands_are_refused_and_the_session_goes_on()
    {
        await using var server = Pop3Harness.Start();
        await using var client = await server.ConnectAsync();

        Assert.Equal("-ERR Unknown command", await client.CommandAsync("APOP alice 0123456789abcdef"));
        Assert.Equal("-ERR Unknown command", await client.CommandAsync("HELO"));
        Assert.Equal("-ERR Empty command", await client.CommandAsync(""));
        Assert.Equal("+OK Send PASS", await client.CommandAsync("USER alice"));
    }

    [Fact]
    public async Task A_line_longer_than_the_limit_is_refused_and_the_next_line_is_read_normally()
    {
        await using var server = Pop3Harness.Start(o => o with { MaxCommandLineLength = 300 });
        await using var client = await server.ConnectAsync();

        Assert.Equal("-ERR Line too long", await client.CommandAsync("USER " + new string('a', 296)));
        Assert.Equal("-ERR Line too long", await client.CommandAsync("USER " + new string('a', 100_000)));
        Assert.Equal("+OK Send PASS", await client.CommandAsync("USER " + new string('a', 295)));
    }

    [Fact]
    public async Task Too_many_errors_close_the_connection()
    {
        await using var server = Pop3Harness.Start(o => o with { MaxErrors = 3 });
        await using var client = await server.ConnectAsync();

        Assert.Equal("-ERR Unknown command", await client.CommandAsync("BOGUS"));
        Assert.Equal("-ERR Line too long", await client.CommandAsync(new string('x', 1000)));
        Assert.Equal("-ERR Too many errors; closing the connection", await client.CommandAsync("STAT"));
        await client.AssertClosedAsync();
    }

    [Fact]
    public async Task Failed_logins_count_as_errors()
    {
        await using var server = Pop3Harness.Start(o => o with { MaxErrors = 2 });
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.ConnectAsync();

        Assert.Equal("-ERR [AUTH] Invalid login", await client.CommandAsync("AUTH PLAIN AGFsaWNlAHdyb25n"));
        Assert.Equal("-ERR Too many errors; closing the connection", await client.CommandAsync("AUTH PLAIN AGFsaWNlAHdyb25n"));
        await client.AssertClosedAsync();
    }

    [Fact]
    public async Task Too_many_errors_in_a_transaction_delete_nothing()
    {
        await using var server = Pop3Harness.Start(o => o with { MaxErrors = 1 });
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short);
        await using var client = await server.LoginAsync();
        await client.CommandAsync("DELE 1");

        Assert.Equal("-ERR Too many errors; closing the connection", await client.CommandAsync("RETR 1"));
        await client.AssertClosedAsync();
        await account.Released;

        Assert.Single(account.Snapshot());
    }

    [Fact]
    public async Task An_idle_client_is_logged_out_without_entering_update()
    {
        var clock = new ManualClock();
        await using var server = Pop3Harness.Start(clock: clock);
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short);
        await using var client = await server.LoginAsync();
        Assert.StartsWith("+OK", await client.CommandAsync("DELE 1"));

        await clock.WaitForTimerAsync(server.Options.IdleTimeout);
        clock.Advance(server.Options.IdleTimeout);

        Assert.Equal("-ERR Autologout: idle for too long", await client.ReadLineAsync());
        await client.AssertClosedAsync();
        await account.Released;
        Assert.Single(account.Snapshot());
        Assert.Equal(0, account.Commits);
    }

    [Fact]
    public async Task A_client_that_is_not_idle_is_not_logged_out()
    {
        var clock = new ManualClock();
        await using var server = Pop3Harness.Start(clock: clock);
        server.Backend.AddAccount("alice", "secret");
        await using var client = await server.LoginAsync();

        for (var i = 0; i < 3; i++)
        {
            await clock.WaitForTimerAsync(server.Options.IdleTimeout);
            clock.Advance(server.Options.IdleTimeout - TimeSpan.FromSeconds(1));
            Assert.Equal("+OK", await client.CommandAsync("NOOP"));
        }
    }

    [Fact]
    public async Task An_idle_client_on_tls_is_logged_out_too()
    {
        var clock = new ManualClock();
        await using var server = Pop3Harness.Start(clock: clock, implicitTls: true);
        await using var client = await server.ConnectAsync();

        await clock.WaitForTimerAsync(server.Options.IdleTimeout);
        clock.Advance(server.Options.IdleTimeout);

        Assert.Equal("-ERR Autologout: idle for too long", await client.ReadLineAsync());
        await client.AssertClosedAsync();
    }

    [Fact]
    public async Task A_connection_over_the_per_address_limit_is_refused_with_a_temporary_error()
    {
        await using var server = Pop3Harness.Start(maxConnectionsPerAddress: 1);
        await using var first = await server.ConnectAsync();

        await using var second = await server.ConnectAsync();

        Assert.Equal("-ERR [SYS/TEMP] Too many connections; try again later", second.Greeting);
        await second.AssertClosedAsync();
        Assert.Equal("+OK Send PASS", await first.CommandAsync("USER alice"));
    }
}
