using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Commands;

public sealed class ExpnCommandTests
{
    [Fact]
    public async Task Expn_is_not_available()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("EXPN staff", "502 5.5.1");
    }
}
