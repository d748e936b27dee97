using System.Text;
using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Session;

public sealed class TranscriptTests
{
    [Fact]
    public async Task Passwords_never_reach_the_log()
    {
        await using var server = Pop3Harness.Start();
        var account = server.Backend.AddAccount("alice", "Sup3r-Secret");
        var plain = Convert.ToBase64String(Encoding.UTF8.GetBytes("\0alice\0Sup3r-Secret"));
        await using (var client = await server.ConnectAsync())
        {
            await client.CommandAsync("USER alice");
            await client.CommandAsync("PASS Sup3r-Secret");
            await client.CommandAsync("QUIT");
            await client.AssertClosedAsync();
        }
        await account.Released;
        await using (var client = await server.ConnectAsync())
        {
            await client.CommandAsync("AUTH PLAIN " + plain);
            await client.CommandAsync("QUIT");
            await client.AssertClosedAsync();
        }
        await account.Released;
        await using (var client = await server.ConnectAsync())
        {
            await client.CommandAsync("AUTH PLAIN");
            await client.CommandAsync(plain);
            await client.CommandAsync("PASS Sup3r-Secret wrong place");
            await client.CommandAsync("QUIT");
            await client.AssertClosedAsync();
        }
        await account.Released;

        var log = server.Log.Lines;
        Assert.DoesNotContain(log, l => l.Contains("Sup3r", StringComparison.Ordinal) || l.Contains(plain, StringComparison.Ordinal));
        Assert.Contains(log, l => l.EndsWith("C: PASS ****", StringComparison.Ordinal));
        Assert.Contains(log, l => l.EndsWith("C: AUTH PLAIN ****", StringComparison.Ordinal));
        Assert.Contains(log, l => l.EndsWith("C: ****", StringComparison.Ordinal));
        Assert.Contains(log, l => l.EndsWith("C: USER alice", StringComparison.Ordinal));
        Assert.Contains(log, l => l.Contains("S: +OK Logged in", StringComparison.Ordinal));
    }
}
