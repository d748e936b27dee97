using System.Text;
using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Session;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Shutdown_sends_421_to_waiting_sessions()
    {
        await using var server = new TestServer();
        await using var first = await server.GreetAsync();
        await using var second = await server.ConnectAsync();
        var stop = server.Listener.StopAsync(TimeSpan.FromSeconds(30));
        Assert.Equal("421 4.3.2 mx.example.test Service shutting down, closing connection", await first.ReadReplyAsync());
        await second.ExpectAsync("421 4.3.2");
        Assert.True(await first.IsClosedAsync());
        Assert.True(await second.IsClosedAsync());
        await stop.WaitAsync(RawClient.Patience);
    }

    [Fact]
    public async Task Shutdown_lets_data_in_progress_finish()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("RCPT TO:<b@example.test>", "250");
        await client.CommandAsync("DATA", "354");
        await client.SendAsync("Subject: in flight\r\n\r\nfirst half\r\n");

        var stop = server.Listener.StopAsync(TimeSpan.FromSeconds(30));
        await client.SendAsync("second half\r\n.\r\n");
        await client.ExpectAsync("250 2.0.0 Ok: queued as");
        await client.ExpectAsync("421 4.3.2");
        Assert.True(await client.IsClosedAsync());
        await stop.WaitAsync(RawClient.Patience);
        Assert.Equal("Subject: in flight\r\n\r\nfirst half\r\nsecond half\r\n", Encoding.ASCII.GetString(server.Sink.Single().Content));
    }

    [Fact]
    public async Task Shutdown_waits_for_a_commit_in_progress()
    {
        await using var server = new TestServer();
        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Sink.CommitGate = gate.Task;
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("RCPT TO:<b@example.test>", "250");
        await client.CommandAsync("DATA", "354");
        await client.SendAsync("body\r\n.\r\n");
        await server.Sink.CommitStarted.Task.WaitAsync(RawClient.Patience);

        var stop = server.Listener.StopAsync(TimeSpan.FromSeconds(30));
        Assert.False(stop.IsCompleted);
        gate.SetResult();
        await client.ExpectAsync("250 2.0.0");
        await client.ExpectAsync("421 4.3.2");
        await stop.WaitAsync(RawClient.Patience);
        server.Sink.Single();
    }

    [Fact]
    public async Task Abort_after_the_grace_period_ends_a_stalled_transfer()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("RCPT TO:<b@example.test>", "250");
        await client.CommandAsync("DATA", "354");
        await client.SendAsync("never finished\r\n");
        await server.Listener.StopAsync(TimeSpan.FromMilliseconds(100)).WaitAsync(RawClient.Patience);
        Assert.True(await client.IsClosedAsync());
        Assert.Empty(server.Sink.Committed);
        Assert.Equal(1, server.Sink.Discarded);
    }
}
