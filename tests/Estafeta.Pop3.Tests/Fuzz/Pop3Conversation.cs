using System.Text;
using Estafeta.Pop3.Tests.Support;
using Estafeta.Testing;

namespace Estafeta.Pop3.Tests.Fuzz;

/// <summary>
/// The client side of one fuzzed POP3 session. It sends whatever it is given, works out from the octets which
/// lines the server will read (a line ends at LF), and reads and checks one reply per line, in order: a status
/// line of the right kind for the command and the state, then the lines of a multi-line reply up to ".".
/// RETR and TOP bodies are compared with the stored message; STLS is followed by the handshake.
/// </summary>
internal sealed class Pop3Conversation(Pop3TestClient client, IReadOnlyList<byte[]> messages, int maxErrors, Random random)
{
    private const int Limit = 512;
    private const string TooManyErrors = "-ERR Too many errors; closing the connection";

    private static readonly HashSet<string> InTransaction = ["STAT", "LIST", "UIDL", "RETR", "TOP", "DELE", "RSET", "NOOP"];
    private static readonly HashSet<string> InAuthorization = ["USER", "PASS", "AUTH", "STLS"];

    private readonly SentLines _sent = new();
    private int _errors;
    private bool _awaitingSaslResponse;
    private string _lastStatus = "";
    private readonly StringBuilder _transcript = new();

    public bool Closed { get; private set; }
    public bool LoggedIn { get; private set; }

    /// <summary>Sends octets, in as many writes as STLS and QUIT need (nothing may follow them in a write: the
    /// server drops what comes before the handshake, and closes after QUIT), and checks every reply.</summary>
    public async Task SendAsync(byte[] bytes)
    {
        var offset = 0;
        while (offset < bytes.Length && !Closed)
        {
            var lines = new List<byte[]>();
            var end = _sent.Take(bytes, offset, line => Parse(line)?.Keyword is "STLS" or "QUIT", lines);
            _transcript.Append("C: ").Append(Fuzzing.Show(bytes[offset..end])).Append('\n');
            await client.SendAsync(bytes[offset..end]);
            offset = end;
            foreach (var complete in lines)
            {
                if (Closed) break;
                await AnswerAsync(complete);
            }
        }
    }

    /// <summary>Completes a line left open, checks the session still answers, and sometimes says QUIT.</summary>
    public async Task FinishAsync()
    {
        if (!Closed && _sent.HasOpenLine) await SendAsync("\r\n"u8.ToArray());
        if (!Closed && _awaitingSaslResponse) await SendAsync("*\r\n"u8.ToArray());
        if (Closed) return;
        await SendAsync(LoggedIn ? "NOOP\r\n"u8.ToArray() : "CAPA\r\n"u8.ToArray());
        if (Closed) return;
        Assert.True(_lastStatus.StartsWith("+OK", StringComparison.Ordinal), $"the session still answers, got {_lastStatus}\n{_transcript}");
        if (random.Chance(0.5)) await SendAsync("QUIT\r\n"u8.ToArray());
    }

    private static Pop3Command? Parse(byte[] line)
    {
        var raw = WithoutCr(line);
        return raw.Length <= Limit && CommandParser.TryParse(raw, out var command, out _) ? command : null;
    }

    private static byte[] WithoutCr(byte[] line) => line is [.., (byte)'\r'] ? line[..^1] : line;

    private async Task AnswerAsync(byte[] line)
    {
        var shown = Fuzzing.Show(Encoding.Latin1.GetString(line));
        var status = await ReadLineAsync();
        var ok = status == "+OK" || status.StartsWith("+OK ", StringComparison.Ordinal);
        var continuation = status == "+ ";
        Assert.True(ok || continuation || status.StartsWith("-ERR ", StringComparison.Ordinal), $"not a POP3 status line: \"{Fuzzing.Show(status)}\"\n{_transcript}");
        Assert.DoesNotContain(status, char.IsControl);

        // Errors of the server's own (RFC 3206 SYS/TEMP, a maildrop in use) are not the client's and do not count.
        var clientError = !ok && !continuation && !status.StartsWith("-ERR [SYS/TEMP]", StringComparison.Ordinal) && !status.StartsWith("-ERR [IN-USE]", StringComparison.Ordinal);
        if (clientError && ++_errors >= maxErrors)
        {
            Assert.True(status == TooManyErrors, $"the error that reaches MaxErrors closes the session, got {status}\n{_transcript}");
            await ExpectClosedAsync();
            return;
        }

        var command = Parse(line);
        if (_awaitingSaslResponse)
        {
            _awaitingSaslResponse = false;
            Assert.False(continuation, $"a SASL PLAIN exchange has one response\n{_transcript}");
            if (ok) LoggedIn = true;
            return;
        }
        if (WithoutCr(line).Length > Limit)
        {
            Assert.True(status == "-ERR Line too long", $"{shown} is too long, got {status}");
            return;
        }
        if (command is null)
        {
            Assert.False(ok || continuation, $"{shown} is not a command, got {status}\n{_transcript}");
            return;
        }
        if (continuation)
        {
            Assert.True(command is { Keyword: "AUTH", Arguments: [_] }, $"only AUTH PLAIN continues, not {shown}");
            _awaitingSaslResponse = true;
            return;
        }
        if (!ok)
        {
            return;
        }

        Assert.False(InTransaction.Contains(command.Keyword) && !LoggedIn, $"{command.Keyword} before the login got {status}\n{_transcript}");
        Assert.False(InAuthorization.Contains(command.Keyword) && LoggedIn, $"{command.Keyword} after the login got {status}\n{_transcript}");
        switch (command.Keyword)
        {
            case "RETR" or "TOP":
                Assert.True(MessageNumbers.TryParse(command.Arguments[0], out var number) && number >= 1 && number <= messages.Count, shown);
                int? top = command.Keyword == "TOP" && MessageNumbers.TryParse(command.Arguments[1], out var count) ? count : null;
                var body = CommandGrammarFuzzTests.Unstuff(await client.ReadDotTerminatedAsync());
                Assert.Equal(Fuzzing.Show(CommandGrammarFuzzTests.Expected(messages[number - 1], top)), Fuzzing.Show(body));
                break;
            case "CAPA":
            case "LIST" or "UIDL" or "AUTH" when command.Arguments.Length == 0:
                Assert.All(await client.ReadLinesUntilDotAsync(), l => Assert.DoesNotContain(l, char.IsControl));
                break;
            case "USER" or "PASS" or "AUTH" when status.StartsWith("+OK Logged in", StringComparison.Ordinal):
                LoggedIn = true;
                break;
            case "QUIT":
                await ExpectClosedAsync();
                break;
            case "STLS":
                await client.HandshakeAsync();
                _transcript.Append("(TLS)\n");
                break;
        }
    }

    private async Task<string> ReadLineAsync()
    {
        string? line;
        try
        {
            line = await client.TryReadLineAsync();
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new Xunit.Sdk.XunitException($"{e.Message}\n{_transcript}");
        }
        Assert.True(line is not null, $"the server closed the connection where a reply was due\n{_transcript}");
        _transcript.Append("S: ").Append(Fuzzing.Show(line)).Append('\n');
        _lastStatus = line;
        return line;
    }

    private async Task ExpectClosedAsync()
    {
        await client.AssertClosedAsync();
        Closed = true;
    }
}
