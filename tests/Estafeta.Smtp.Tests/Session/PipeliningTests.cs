using System.Text;
using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Session;

public sealed class PipeliningTests
{
    [Fact]
    public async Task Pipelined_commands_get_replies_in_order()
    {
        await using var server = new TestServer();
        await using var client = await server.ConnectAsync();
        await client.SendAsync(
            "EHLO client.example.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@example.test>\r\n" +
            "RCPT TO:<unknown@example.test>\r\nRCPT TO:<c@example.test>\r\nDATA\r\n");
        await client.ExpectAsync("250-mx.example.test");
        await client.ExpectAsync("250 2.1.0");
        await client.ExpectAsync("250 2.1.5");
        await client.ExpectAsync("550 5.1.1");
        await client.ExpectAsync("250 2.1.5");
        await client.ExpectAsync("354 ");
        await client.SendAsync("Subject: pipelined\r\n\r\nbody\r\n.\r\nRSET\r\nNOOP\r\nQUIT\r\n");
        await client.ExpectAsync("250 2.0.0 Ok: queued as");
        await client.ExpectAsync("250 2.0.0 Ok");
        await client.ExpectAsync("250 2.0.0 Ok");
        await client.ExpectAsync("221 2.0.0");
        Assert.True(await client.IsClosedAsync());
        Assert.Equal(["b@example.test", "c@example.test"], server.Sink.Single().Recipients.Select(r => r.Address));
    }

    [Fact]
    public async Task Ten_pipelined_rcpts_are_answered_in_one_batch()
    {
        await using var server = new TestServer();
        var tenthChecked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        server.Policy.BeforeRecipient = async (to, _) =>
        {
            if (to.Address != "r10@example.test") return;
            tenthChecked.SetResult();
            await release.Task;
        };
        await using var client = await server.GreetAsync();
        var batch = new StringBuilder("MAIL FROM:<a@example.test>\r\n");
        for (var i = 1; i <= 10; i++) batch.Append($"RCPT TO:<r{i}@example.test>\r\n");
        batch.Append("NOOP\r\n");
        await client.SendAsync(batch.ToString());

        await tenthChecked.Task.WaitAsync(RawClient.Patience);
        Assert.Equal(0, client.Pending);
        release.SetResult();

        await client.ExpectAsync("250 2.1.0");
        for (var i = 1; i <= 10; i++) await client.ExpectAsync("250 2.1.5");
        await client.ExpectAsync("250 2.0.0 Ok");
        Assert.Equal(Enumerable.Range(1, 10).Select(i => $"r{i}@example.test"), server.Policy.Recipients.Select(r => r.Address));
    }

    [Fact]
    public async Task Replies_are_sent_before_the_server_waits_for_more_input()
    {
        await using var server = new TestServer();
        await using var client = await server.ConnectAsync();
        await client.SendAsync("EHLO client.example.test\r\nMAIL FROM:<a@example.test>\r\nRCPT TO:<b@");
        await client.ExpectAsync("250-");
        await client.ExpectAsync("250 2.1.0");
        await client.SendAsync("example.test>\r\n");
        await client.ExpectAsync("250 2.1.5");
    }
}
