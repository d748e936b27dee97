using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Commands;

public sealed class HelpCommandTests
{
    [Fact]
    public async Task Help_lists_the_commands()
    {
        await using var server = new TestServer();
        await using var client = await server.ConnectAsync();
        var reply = await client.CommandAsync("HELP", "214-2.0.0 Commands:");
        Assert.EndsWith("214 2.0.0 See RFC 5321", reply, StringComparison.Ordinal);
        await client.CommandAsync("HELP MAIL", "214");
    }
}
