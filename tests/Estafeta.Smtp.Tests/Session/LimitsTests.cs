using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Session;

public sealed class LimitsTests
{
    [Fact]
    public async Task A_line_over_the_limit_is_rejected_with_500_and_the_session_goes_on()
    {
        await using var server = new TestServer(o => o with { MaxCommandLineLength = 512 });
        await using var client = await server.GreetAsync();
        await client.CommandAsync("NOOP " + new string('x', 600), "500 5.5.2 Line too long");
        await client.CommandAsync("NOOP " + new string('x', 507), "250");
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
    }

    [Fact]
    public async Task A_huge_line_is_not_held_in_memory_and_is_refused_once()
    {
        await using var server = new TestServer(o => o with { MaxCommandLineLength = 512 });
        await using var client = await server.GreetAsync();
        await client.SendAsync("MAIL FROM:<" + new string('a', 1024 * 1024) + "@example.test>\r\n");
        await client.ExpectAsync("500 5.5.2");
        await client.CommandAsync("NOOP", "250");
    }

    [Fact]
    public async Task Too_many_errors_disconnect_with_421()
    {
        await using var server = new TestServer(o => o with { MaxErrors = 3 });
        await using var client = await server.GreetAsync();
        await client.CommandAsync("BOGUS", "500");
        await client.CommandAsync("RCPT TO:<b@example.test>", "503");
        await client.SendAsync("MAIL FROM:bad\r\n");
        await client.ExpectAsync("501");
        Assert.Equal("421 4.7.0 mx.example.test Too many errors, closing connection", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task Refused_recipients_do_not_count_as_errors()
    {
        await using var server = new TestServer(o => o with { MaxErrors = 2 });
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        for (var i = 0; i < 5; i++) await client.CommandAsync($"RCPT TO:<unknown{i}@example.test>", "550");
        await client.CommandAsync("NOOP", "250");
    }

    [Fact]
    public async Task Too_many_commands_disconnect_with_421()
    {
        await using var server = new TestServer(o => o with { MaxCommands = 3 });
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("NOOP", "250");
        await client.CommandAsync("NOOP", "250");
        await client.CommandAsync("NOOP", "250");
        Assert.Equal("421 4.7.0 mx.example.test Too many commands, closing connection", await client.CommandAsync("NOOP", "421"));
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task Idle_session_times_out_with_421()
    {
        var clock = new ManualClock();
        await using var server = new TestServer(clock: clock);
        await using var client = await server.GreetAsync();
        await clock.WaitForTimerAsync(server.Options.CommandTimeout);
        clock.Advance(server.Options.CommandTimeout - TimeSpan.FromSeconds(1));
        await client.CommandAsync("NOOP", "250");
        await clock.WaitForTimerAsync(server.Options.CommandTimeout);
        clock.Advance(server.Options.CommandTimeout);
        Assert.Equal("421 4.4.2 mx.example.test Idle timeout, closing connection", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task A_command_that_takes_too_long_ends_with_421()
    {
        var clock = new ManualClock();
        await using var server = new TestServer(clock: clock);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Policy.BeforeRecipient = async (_, ct) =>
        {
            entered.SetResult();
            await Task.Delay(Timeout.InfiniteTimeSpan, ct);
        };
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.SendAsync("RCPT TO:<b@example.test>\r\n");
        await entered.Task.WaitAsync(RawClient.Patience);
        await clock.WaitForTimerAsync(server.Options.CommandTimeout);
        clock.Advance(server.Options.CommandTimeout);
        Assert.Equal("421 4.4.2 mx.example.test Timeout, closing connection", await client.ReadReplyAsync());
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task A_421_from_the_policy_closes_the_session()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("RCPT TO:<busy@example.test>", "421 4.7.0");
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task A_stalled_data_transfer_times_out_with_421_and_commits_nothing()
    {
        await using var server = new TestServer(o => o with { DataTimeout = TimeSpan.FromMilliseconds(300) });
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("RCPT TO:<b@example.test>", "250");
        await client.CommandAsync("DATA", "354");
        await client.SendAsync("Subject: slow\r\n");
        await client.ExpectAsync("421 4.4.2");
        Assert.True(await client.IsClosedAsync());
        Assert.Empty(server.Sink.Committed);
        await server.Listener.StopAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(1, server.Sink.Discarded);
    }
}
