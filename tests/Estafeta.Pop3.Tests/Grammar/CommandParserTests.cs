using System.IO.Pipelines;
using System.Text;
using Estafeta.Net;

namespace Estafeta.Pop3.Tests.Grammar;

public sealed class CommandParserTests
{
    public static TheoryData<string, string, string, string[]> Commands => new()
    {
        { "STAT", "STAT", "", [] },
        { "stat", "STAT", "", [] },
        { "LiSt 1", "LIST", "1", ["1"] },
        { "list", "LIST", "", [] },
        { "TOP 1 10", "TOP", "1 10", ["1", "10"] },
        { "top 1  10", "TOP", "1  10", ["1", "10"] },
        { "USER alice", "USER", "alice", ["alice"] },
        { "PASS pass word  with spaces", "PASS", "pass word  with spaces", ["pass", "word", "with", "spaces"] },
        { "PASS contraseña", "PASS", "contraseña", ["contraseña"] },
        { "AUTH PLAIN AGFsaWNlAHNlY3JldA==", "AUTH", "PLAIN AGFsaWNlAHNlY3JldA==", ["PLAIN", "AGFsaWNlAHNlY3JldA=="] },
        { "Capa", "CAPA", "", [] },
        { "QUIT ", "QUIT", "", [] },
        { "XYZZY 1", "XYZZY", "1", ["1"] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public void Commands_parse_into_an_upper_case_keyword_and_their_arguments(string line, string keyword, string argument, string[] arguments)
    {
        Assert.True(CommandParser.TryParse(Encoding.UTF8.GetBytes(line), out var command, out _));
        Assert.Equal(keyword, command.Keyword);
        Assert.Equal(argument, command.Argument);
        Assert.Equal(arguments, command.Arguments);
    }

    public static TheoryData<byte[], string> Malformed => new()
    {
        { ""u8.ToArray(), "Empty command" },
        { " STAT"u8.ToArray(), "A command starts with its keyword" },
        { "ST4T"u8.ToArray(), "Unknown command" },
        { "STAT\0"u8.ToArray(), "Unknown command" },
        { "RETR\t1"u8.ToArray(), "Unknown command" },
        { "ÄSTAT"u8.ToArray(), "Unknown command" },
        { "ABCDEFGHIJKLMNOPQ"u8.ToArray(), "Unknown command" },
        { "PASS a\u0001b"u8.ToArray(), "Arguments must be UTF-8 text without control characters" },
        { "PASS a\rb"u8.ToArray(), "Arguments must be UTF-8 text without control characters" },
        { "PASS a\u007Fb"u8.ToArray(), "Arguments must be UTF-8 text without control characters" },
        { "USER a\u0085b"u8.ToArray(), "Arguments must be UTF-8 text without control characters" },
        { "DELE \u009F1"u8.ToArray(), "Arguments must be UTF-8 text without control characters" },
        { [.. "PASS "u8, 0xC3, 0x28], "Arguments must be UTF-8 text without control characters" },
        { [.. "USER "u8, 0xFF], "Arguments must be UTF-8 text without control characters" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_lines_are_refused_with_a_reason(byte[] line, string reason)
    {
        Assert.False(CommandParser.TryParse(line, out var command, out var error));
        Assert.Null(command);
        Assert.Equal(reason, error);
    }

    [Fact]
    public async Task Pipelined_commands_parse_the_same_however_the_bytes_are_split()
    {
        var stream = "USER alice\r\nPASS s3cret word\r\nstat\r\nLIST 2\nTOP 1 0\r\n\r\nRETR 1\r\nQUIT\r\n"u8.ToArray();
        var expected = await ParseAllAsync(stream, stream.Length);
        Assert.Equal(["USER alice", "PASS s3cret word", "STAT ", "LIST 2", "TOP 1 0", "<error>", "RETR 1", "QUIT "], expected);
        for (var size = 1; size <= 512; size++)
            Assert.Equal(expected, await ParseAllAsync(stream, size));
    }

    private static async Task<List<string>> ParseAllAsync(byte[] stream, int segment)
    {
        var pipe = new Pipe();
        for (var i = 0; i < stream.Length; i += segment)
        {
            await pipe.Writer.WriteAsync(stream.AsMemory(i, Math.Min(segment, stream.Length - i)));
        }
        await pipe.Writer.CompleteAsync();
        var parsed = new List<string>();
        while (await LineReader.ReadLineAsync(pipe.Reader, 512, CancellationToken.None) is { Status: LineStatus.Ok } line)
            parsed.Add(CommandParser.TryParse(line.Bytes, out var command, out _) ? command.Keyword + " " + command.Argument : "<error>");
        return parsed;
    }
}
