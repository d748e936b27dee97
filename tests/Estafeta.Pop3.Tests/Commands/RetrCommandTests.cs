using System.Text;
using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Commands;

public sealed class RetrCommandTests
{
    [Fact]
    public async Task Retr_returns_the_message_byte_for_byte_with_dot_stuffing()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.WithDots);
        await using var client = await server.LoginAsync();

        Assert.Equal($"+OK {Messages.WithDots.Length} octets", await client.CommandAsync("RETR 1"));

        Assert.Equal(Messages.WithDotsOnTheWire, Encoding.UTF8.GetString(await client.ReadDotTerminatedAsync()));
        Assert.StartsWith("+OK", await client.CommandAsync("NOOP"));
    }

    [Fact]
    public async Task Retr_sends_eight_bit_utf8_untouched()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.Spanish);
        await using var client = await server.LoginAsync();

        Assert.Equal($"+OK {Encoding.UTF8.GetByteCount(Messages.Spanish)} octets", await client.CommandAsync("RETR 1"));

        var expected = Messages.Spanish.Replace("\r\n.Línea", "\r\n..Línea", StringComparison.Ordinal) + ".\r\n";
        Assert.Equal(Encoding.UTF8.GetBytes(expected), await client.ReadDotTerminatedAsync());
    }

    [Fact]
    public async Task Retr_of_a_message_not_ending_in_crlf_adds_one_before_the_terminator()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", "Subject: x\r\n\r\nno line end");
        await using var client = await server.LoginAsync();
        await client.CommandAsync("RETR 1");

        Assert.Equal("Subject: x\r\n\r\nno line end\r\n.\r\n", Encoding.UTF8.GetString(await client.ReadDotTerminatedAsync()));
    }

    [Fact]
    public async Task Retr_streams_a_large_message_whole()
    {
        var body = new StringBuilder("Subject: big\r\n\r\n");
        for (var i = 0; body.Length < 3 * 1024 * 1024; i++) body.Append(i % 50 == 0 ? "." : "").Append("line ").Append(i).Append(" of a large message\r\n");
        var message = body.ToString();
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", message);
        await using var client = await server.LoginAsync();

        await client.CommandAsync("RETR 1");
        var wire = Encoding.UTF8.GetString(await client.ReadDotTerminatedAsync());

        var lines = wire[..^"\r\n.\r\n".Length].Split("\r\n").Select(l => l.StartsWith('.') ? l[1..] : l);
        Assert.Equal(message, string.Join("\r\n", lines) + "\r\n");
    }

    [Fact]
    public async Task Retr_of_a_deleted_message_is_refused()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.Short);
        await using var client = await server.LoginAsync();
        await client.CommandAsync("DELE 1");

        Assert.Equal("-ERR Message 1 already deleted", await client.CommandAsync("RETR 1"));
    }

    [Theory]
    [InlineData("RETR", "-ERR Syntax: RETR msg")]
    [InlineData("RETR 1 2", "-ERR Syntax: RETR msg")]
    [InlineData("RETR 0", "-ERR No such message")]
    [InlineData("RETR 2", "-ERR No such message")]
    [InlineData("RETR one", "-ERR Invalid message number")]
    public async Task Retr_refuses_bad_arguments(string command, string reply)
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.Short);
        await using var client = await server.LoginAsync();

        Assert.Equal(reply, await client.CommandAsync(command));
    }

    [Fact]
    public async Task Retr_when_the_store_cannot_open_the_message_is_a_temporary_error()
    {
        await using var server = Pop3Harness.Start();
        var account = server.Backend.AddAccount("alice", "secret", Messages.Short);
        account.OpenFailure = new IOException("blob missing");
        await using var client = await server.LoginAsync();

        Assert.StartsWith("-ERR [SYS/TEMP] ", await client.CommandAsync("RETR 1"));
        account.OpenFailure = null;
        Assert.StartsWith("+OK", await client.CommandAsync("RETR 1"));
    }
}
