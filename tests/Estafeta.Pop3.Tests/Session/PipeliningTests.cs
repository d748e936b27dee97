using System.Text;
using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Session;

public sealed class PipeliningTests
{
    [Fact]
    public async Task Pipelined_commands_are_answered_in_order()
    {
        await using var server = Pop3Harness.Start();
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short, Messages.WithDots);
        await using var client = await server.ConnectAsync();

        await client.SendAsync("USER alice\r\nPASS secret\r\nSTAT\r\nLIST\r\nRETR 2\r\nDELE 1\r\nUIDL 1\r\nNOOP\r\nQUIT\r\n");

        Assert.Equal("+OK Send PASS", await client.ReadLineAsync());
        Assert.StartsWith("+OK Logged in, 2 messages", await client.ReadLineAsync());
        Assert.StartsWith("+OK 2 ", await client.ReadLineAsync());
        Assert.StartsWith("+OK 2 messages", await client.ReadLineAsync());
        Assert.Equal(2, (await client.ReadLinesUntilDotAsync()).Count);
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        Assert.Equal(Messages.WithDotsOnTheWire, Encoding.UTF8.GetString(await client.ReadDotTerminatedAsync()));
        Assert.Equal("+OK Message 1 deleted", await client.ReadLineAsync());
        Assert.Equal("-ERR Message 1 already deleted", await client.ReadLineAsync());
        Assert.Equal("+OK", await client.ReadLineAsync());
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        await client.AssertClosedAsync();
        await account.Released;
        Assert.Single(account.Snapshot());
    }

    [Fact]
    public async Task Many_pipelined_retrievals_are_all_answered()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.Spanish);
        await using var client = await server.LoginAsync();
        const int count = 300;

        await client.SendAsync(string.Concat(Enumerable.Repeat("RETR 1\r\n", count)) + "QUIT\r\n");

        var expected = Encoding.UTF8.GetBytes(Messages.Spanish.Replace("\r\n.Línea", "\r\n..Línea", StringComparison.Ordinal) + ".\r\n");
        for (var i = 0; i < count; i++)
        {
            Assert.StartsWith("+OK", await client.ReadLineAsync());
            Assert.Equal(expected, await client.ReadDotTerminatedAsync());
        }
        Assert.StartsWith("+OK", await client.ReadLineAsync());
        await client.AssertClosedAsync();
    }
}
