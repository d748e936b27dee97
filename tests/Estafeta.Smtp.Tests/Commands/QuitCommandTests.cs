using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Commands;

public sealed class QuitCommandTests
{
    [Fact]
    public async Task Quit_answers_221_and_closes()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        Assert.Equal("221 2.0.0 mx.example.test closing connection", await client.CommandAsync("QUIT", "221"));
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task Quit_is_accepted_before_helo()
    {
        await using var server = new TestServer();
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("QUIT", "221 2.0.0");
        Assert.True(await client.IsClosedAsync());
    }

    [Fact]
    public async Task Quit_in_a_transaction_commits_nothing()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("RCPT TO:<b@example.test>", "250");
        await client.CommandAsync("QUIT", "221");
        Assert.True(await client.IsClosedAsync());
        Assert.Equal(0, server.Sink.Begun);
    }
}
