using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Session;

public sealed class ShutdownTests
{
    [Fact]
    public async Task Shutdown_during_transaction_deletes_nothing()
    {
        await using var server = Pop3Harness.Start();
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.WithDots);
        await using var client = await server.LoginAsync();
        await client.CommandAsync("DELE 1");

        var stopping = server.StopAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("-ERR [SYS/TEMP] Server shutting down", await client.ReadLineAsync());
        await client.AssertClosedAsync();
        await stopping;
        Assert.False(account.IsLocked);
        Assert.Equal(2, account.Snapshot().Count);
        Assert.Equal(0, account.Commits);
    }

    [Fact]
    public async Task Shutdown_answers_a_client_that_has_not_logged_in()
    {
        await using var server = Pop3Harness.Start();
        await using var client = await server.ConnectAsync();

        var stopping = server.StopAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("-ERR [SYS/TEMP] Server shutting down", await client.ReadLineAsync());
        await client.AssertClosedAsync();
        await stopping;
    }

    [Fact]
    public async Task A_retrieval_in_progress_finishes_before_the_session_closes()
    {
        await using var server = Pop3Harness.Start();
        var account = server.Backend.AddAccount("alice", "secret", Messages.WithDots);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var proceed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        account.BeforeOpen = async ct => { entered.TrySetResult(); await proceed.Task.WaitAsync(ct); };
        await using var client = await server.LoginAsync();

        await client.SendLineAsync("RETR 1");
        await entered.Task;
        var stopping = server.StopAsync(TimeSpan.FromMinutes(1));
        proceed.SetResult();

        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.Equal(Messages.WithDotsOnTheWire, System.Text.Encoding.UTF8.GetString(await client.ReadDotTerminatedAsync()));
        Assert.Equal("-ERR [SYS/TEMP] Server shutting down", await client.ReadLineAsync());
        await client.AssertClosedAsync();
        await stopping;
    }

    [Fact]
    public async Task Abort_cancels_a_command_in_progress_and_deletes_nothing()
    {
        await using var server = Pop3Harness.Start();
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.WithDots);
        var entered = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        account.BeforeOpen = async ct => { entered.TrySetResult(); await Task.Delay(Timeout.Infinite, ct); };
        await using var client = await server.LoginAsync();
        await client.CommandAsync("DELE 2");

        await client.SendLineAsync("RETR 1");
        await entered.Task;
        await server.StopAsync(TimeSpan.Zero);

        await client.AssertClosedAsync();
        await account.Released;
        Assert.Equal(2, account.Snapshot().Count);
        Assert.Equal(0, account.Commits);
    }

    [Fact]
    public async Task Shutdown_answers_a_client_over_tls()
    {
        await using var server = Pop3Harness.Start(implicitTls: true);
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short);
        await using var client = await server.LoginAsync();
        await client.CommandAsync("DELE 1");

        var stopping = server.StopAsync(TimeSpan.FromMinutes(1));

        Assert.Equal("-ERR [SYS/TEMP] Server shutting down", await client.ReadLineAsync());
        await client.AssertClosedAsync();
        await stopping;
        Assert.Single(account.Snapshot());
    }
}
