using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Commands;

public sealed class NoopCommandTests
{
    [Fact]
    public async Task Noop_answers_250_with_or_without_an_argument()
    {
        await using var server = new TestServer();
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("NOOP", "250 2.0.0 Ok");
        await client.CommandAsync("noop anything at all", "250 2.0.0 Ok");
    }

    [Fact]
    public async Task Noop_keeps_the_transaction()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("NOOP", "250");
        await client.CommandAsync("RCPT TO:<b@example.test>", "250");
    }
}
