using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class NamespaceCommandTests
{
    [Fact]
    public async Task Namespace_has_one_personal_namespace()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        Assert.Equal("* NAMESPACE ((\"\" \"/\")) NIL NIL", (await client.CommandAsync("NAMESPACE")).Untagged.Single());
    }
}
