using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class IdCommandTests
{
    [Fact]
    public async Task Id_answers_with_the_server_name_and_logs_the_client()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.ConnectAsync();
        var reply = await client.CommandAsync("ID (\"name\" \"Thunderbird\" \"version\" \"128.0\")");
        Assert.StartsWith("* ID (\"name\" \"Estafeta\"", reply.Untagged.Single());
        Assert.Contains(server.Log.Lines, l => l.Contains("name=Thunderbird", StringComparison.Ordinal));
        client.AssertOk(await client.CommandAsync("ID NIL"));
    }
}
