using System.Text;
using Estafeta.Pop3.Tests.Support;

namespace Estafeta.Pop3.Tests.Commands;

public sealed class TopCommandTests
{
    [Fact]
    public async Task Top_returns_headers_and_n_body_lines()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.ThreeBodyLines);
        await using var client = await server.LoginAsync();

        Assert.StartsWith("+OK", await client.CommandAsync("TOP 1 2"));

        Assert.Equal("Subject: Lines\r\nX-Header: yes\r\n\r\nline one\r\n..line two\r\n.\r\n", Encoding.UTF8.GetString(await client.ReadDotTerminatedAsync()));
    }

    [Fact]
    public async Task Top_with_zero_lines_returns_only_the_header()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.ThreeBodyLines);
        await using var client = await server.LoginAsync();

        await client.CommandAsync("TOP 1 0");

        Assert.Equal("Subject: Lines\r\nX-Header: yes\r\n\r\n.\r\n", Encoding.UTF8.GetString(await client.ReadDotTerminatedAsync()));
    }

    [Fact]
    public async Task Top_with_more_lines_than_the_body_returns_the_whole_message()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.ThreeBodyLines);
        await using var client = await server.LoginAsync();

        await client.CommandAsync("TOP 1 99999999999");

        Assert.Equal(Messages.ThreeBodyLines.Replace("\r\n.line", "\r\n..line", StringComparison.Ordinal) + ".\r\n",
            Encoding.UTF8.GetString(await client.ReadDotTerminatedAsync()));
    }

    [Fact]
    public async Task Top_of_a_header_only_message_returns_the_header()
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", "Subject: nothing else\r\n");
        await using var client = await server.LoginAsync();

        await client.CommandAsync("TOP 1 3");

        Assert.Equal("Subject: nothing else\r\n.\r\n", Encoding.UTF8.GetString(await client.ReadDotTerminatedAsync()));
    }

    [Theory]
    [InlineData("TOP 1", "-ERR Syntax: TOP msg n")]
    [InlineData("TOP 1 2 3", "-ERR Syntax: TOP msg n")]
    [InlineData("TOP 1 -1", "-ERR Invalid line count")]
    [InlineData("TOP 1 x", "-ERR Invalid line count")]
    [InlineData("TOP 0 1", "-ERR No such message")]
    [InlineData("TOP x 1", "-ERR Invalid message number")]
    public async Task Top_refuses_bad_arguments(string command, string reply)
    {
        await using var server = Pop3Harness.Start();
        server.Backend.AddAccount("alice", "secret", Messages.ThreeBodyLines);
        await using var client = await server.LoginAsync();

        Assert.Equal(reply, await client.CommandAsync(command));
    }
}
