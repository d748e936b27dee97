using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Commands;

public sealed class VrfyCommandTests
{
    [Fact]
    public async Task Vrfy_answers_252_without_disclosing_anything()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("VRFY b@example.test", "252 2.5.0");
        await client.CommandAsync("VRFY unknown@example.test", "252 2.5.0");
        Assert.Empty(server.Policy.Recipients);
    }

    [Fact]
    public async Task Vrfy_without_an_argument_is_rejected_with_501()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("VRFY", "501 5.5.4");
    }
}
