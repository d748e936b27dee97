using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Commands;

public sealed class RsetCommandTests
{
    [Fact]
    public async Task Rset_drops_the_transaction_and_keeps_the_greeting()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("RCPT TO:<b@example.test>", "250");
        await client.CommandAsync("RSET", "250 2.0.0 Ok");
        await client.CommandAsync("DATA", "503 5.5.1");
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
    }

    [Fact]
    public async Task Rset_before_helo_is_accepted()
    {
        await using var server = new TestServer();
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("RSET", "250");
        await client.CommandAsync("MAIL FROM:<a@example.test>", "503 5.5.1");
    }

    [Fact]
    public async Task Rset_with_arguments_is_rejected_with_501()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("RSET now", "501 5.5.4");
    }
}
