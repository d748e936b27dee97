using System.Text;
using Estafeta.Smtp.Session;
using Estafeta.Smtp.Tests.Support;
using Estafeta.Testing;

namespace Estafeta.Smtp.Tests.Fuzz;

/// <summary>
/// The client side of one fuzzed session over a real socket. It sends whatever it is given, works out from
/// the octets which command lines the server will see (a line ends at LF, as the server reads it), and reads
/// and checks one reply per line, in order: RFC 5321 §4.2 form, a code that command can get, no control
/// character from the input. A 354 is answered with a body, a 334 with an AUTH response, and what the
/// server stores is compared with the body as sent. The server may close only where it says it does: after
/// 221, after a 421 (a busy recipient), or with "421 4.7.0 ... Too many errors" once MaxErrors replies
/// counted as client errors.
/// </summary>
internal sealed class SmtpConversation(FuzzServer server, RawClient client, Random random)
{
    /// <summary>Commands after which the server no longer reads command lines, or closes: they end what is
    /// sent in one write (RFC 2920 §3.1), so that what follows is not read as a body or an AUTH response.</summary>
    private static readonly HashSet<string> EndsAGroup = ["DATA", "AUTH", "QUIT", "STARTTLS"];

    private readonly SentLines _sent = new();
    private int _errors;

    public bool Closed { get; private set; }
    public bool Authenticated { get; private set; }
    public int Accepted { get; private set; }

    private int Limit => server.Options.MaxCommandLineLength;

    /// <summary>Sends octets in command mode, in as many writes as the commands that end a group need, and
    /// checks the reply to every line they complete.</summary>
    public async Task SendAsync(byte[] bytes)
    {
        var offset = 0;
        while (offset < bytes.Length && !Closed)
        {
            var lines = new List<byte[]>();
            var end = _sent.Take(bytes, offset, line => Verb(line) is { } verb && EndsAGroup.Contains(verb), lines);
            await client.SendAsync(bytes[offset..end]);
            offset = end;
            foreach (var complete in lines)
            {
                if (Closed) break;
                await AnswerAsync(complete);
            }
        }
    }

    /// <summary>Completes a line left open, checks the session still answers NOOP, and says QUIT.</summary>
    public async Task FinishAsync()
    {
        if (!Closed && _sent.HasOpenLine) await SendAsync("\r\n"u8.ToArray());
        if (Closed) return;
        await client.SendAsync("NOOP\r\n");
        var reply = await ReadReplyAsync();
        Assert.True(reply.StartsWith("250 ", StringComparison.Ordinal), $"the session still answers NOOP, got {reply}");
        if (random.Chance(0.5))
        {
            await client.SendAsync("QUIT\r\n");
            Assert.StartsWith("221 ", await ReadReplyAsync());
            await ExpectClosedAsync("after QUIT");
        }
    }

    private string? Verb(byte[] line) => TooLong(line) ? null : CommandLine.Parse(WithoutCr(line)).Verb;

    private bool TooLong(byte[] line) => WithoutCr(line).Length > Limit;

    private static byte[] WithoutCr(byte[] line) => line is [.., (byte)'\r'] ? line[..^1] : line;

    private async Task AnswerAsync(byte[] line)
    {
        var verb = Verb(line);
        var reply = await ReadReplyAsync();
        var code = Code(reply);
        var allowed = TooLong(line) ? [500] : Plausible(verb);
        Assert.True(allowed.Contains(code), $"{code} is not a reply to \"{Fuzzing.Show(Encoding.Latin1.GetString(line))}\" ({verb ?? "not a command"}): {reply}");

        switch (code)
        {
            case 354:
                await DataAsync();
                break;
            case 334:
                await AuthAsync(reply);
                break;
            case 221:
                await ExpectClosedAsync("after 221");
                return;
            case 421:
                await ExpectClosedAsync("after 421");
                return;
        }
        if (Closed) return;
        if (_errors >= server.Options.MaxErrors)
        {
            var last = await ReadReplyAsync();
            Assert.True(last.StartsWith("421 4.7.0 ", StringComparison.Ordinal) && last.Contains("Too many errors", StringComparison.Ordinal), last);
            await ExpectClosedAsync("after too many errors");
        }
    }

    /// <summary>The codes a command can get from this server (a known command in the wrong state gets 503).</summary>
    private static int[] Plausible(string? verb) => verb switch
    {
        "HELO" or "EHLO" => [250, 501],
        "MAIL" => [250, 501, 503, 530, 550, 552, 553, 555],
        "RCPT" => [250, 421, 452, 501, 503, 550, 553, 555],
        "DATA" => [354, 501, 503, 554],
        "RSET" => [250, 501],
        "NOOP" => [250],
        "QUIT" => [221],
        "VRFY" => [252, 501],
        "EXPN" => [502],
        "HELP" => [214],
        "AUTH" => [235, 334, 454, 500, 501, 502, 503, 504, 535, 538],
        "STARTTLS" => [502, 503],
        _ => [500],
    };

    /// <summary>Sends a body after 354: dot-stuffed or raw (then it ends where the server's terminator is), now
    /// and then followed by a pipelined NOOP, or cut off by closing the connection.</summary>
    private async Task DataAsync()
    {
        var before = server.Sink.Committed.Count;
        var body = DotStuffing.RandomBody(random);
        if (random.Chance(0.05))
        {
            // Cut before any terminator the random octets hold, or the server would store the message after all.
            await client.SendAsync(DotStuffing.Decode(body) is { } ended ? body[..(ended.Consumed - 3)] : body);
            await CloseAsync();
            return;
        }
        var wire = random.Chance(0.5) ? DotStuffing.Stuff(body) : [.. body, .. "\r\n.\r\n"u8.ToArray()];
        var expected = DotStuffing.Decode(wire)!;
        var sent = wire[..expected.Consumed];
        var noop = random.Chance(0.2);
        await client.SendAsync(noop ? [.. sent, .. "NOOP\r\n"u8.ToArray()] : sent);

        var reply = await ReadReplyAsync();
        var code = Code(reply);
        if (expected.Body.Length <= server.Options.MaxMessageSize)
        {
            Assert.True(code == 250, $"a body of {expected.Body.Length} bytes is accepted, got {reply}");
            var stored = server.Sink.Committed.ElementAt(before);
            Assert.Equal(Fuzzing.Show(expected.Body), Fuzzing.Show(stored.Content));
            Accepted++;
        }
        else
        {
            Assert.True(code == 552, $"a body of {expected.Body.Length} bytes is over the limit, got {reply}");
        }
        Assert.Equal(before + (code == 250 ? 1 : 0), server.Sink.Committed.Count);
        if (noop && !Closed) await AnswerAsync("NOOP"u8.ToArray());
    }

    /// <summary>Answers a 334: the right response, a wrong or mutated one, "*", an overlong line, or nothing
    /// at all (the connection closes).</summary>
    private async Task AuthAsync(string challenge)
    {
        while (true)
        {
            var text = challenge.Length > 4 ? Encoding.UTF8.GetString(Convert.FromBase64String(challenge[4..])) : "";
            var right = text switch
            {
                "Username:" => FuzzServer.User,
                "Password:" => FuzzServer.Password,
                _ => $"\0{FuzzServer.User}\0{FuzzServer.Password}",
            };
            var response = random.Next(20) switch
            {
                < 12 => Convert.ToBase64String(Encoding.UTF8.GetBytes(right)),
                12 or 13 => random.Mutate(Convert.ToBase64String(Encoding.UTF8.GetBytes(right)), ["=", "*", "+", " ", "\0", "AAAA"]),
                14 => "*",
                15 => "=",
                16 => "",
                17 => new string('A', Limit + random.Next(-2, 4)),
                18 => Convert.ToBase64String(Encoding.UTF8.GetBytes("\0" + FuzzServer.User + "\0wrong")),
                _ => null,
            };
            if (response is null)
            {
                await CloseAsync();
                return;
            }
            // A line break inside would make a second line: the server reads one line as the response.
            await client.SendAsync(Encoding.UTF8.GetBytes(response.Replace("\n", "", StringComparison.Ordinal) + "\r\n"));
            var reply = await ReadReplyAsync();
            var code = Code(reply);
            Assert.True(code is 235 or 334 or 454 or 500 or 501 or 535, $"{code} is not a reply to an AUTH response: {reply}");
            if (code == 235) Authenticated = true;
            if (code != 334) return;
            challenge = reply;
        }
    }

    /// <summary>One reply in the form of RFC 5321 §4.2: every line "code-text" but the last "code text", the
    /// same code throughout, nothing but printable text. It is counted as the server counts client errors.</summary>
    private async Task<string> ReadReplyAsync()
    {
        var lines = new List<string>();
        while (true)
        {
            var line = await client.ReadLineAsync();
            Assert.True(line is not null, $"the server closed the connection where a reply was due\n{client.Transcript}");
            Assert.True(line.Length >= 4 && line[..3].All(char.IsAsciiDigit) && line[0] is >= '2' and <= '5' && line[3] is ' ' or '-',
                $"not an RFC 5321 reply line: \"{Fuzzing.Show(line)}\"\n{client.Transcript}");
            Assert.True(lines.Count == 0 || line[..3] == lines[0][..3], $"one reply, one code: {Fuzzing.Show(line)}");
            Assert.DoesNotContain(line, char.IsControl);
            lines.Add(line);
            if (line[3] == ' ') break;
        }
        var reply = string.Join('\n', lines);
        if (Code(reply) is >= 500 and <= 504 or 530 or 535 or 538 or 555) _errors++;
        return reply;
    }

    private async Task ExpectClosedAsync(string when)
    {
        Assert.True(await client.IsClosedAsync(), $"the server closes the connection {when}\n{client.Transcript}");
        Closed = true;
    }

    private async Task CloseAsync()
    {
        await client.DisposeAsync();
        Closed = true;
    }

    private static int Code(string reply) => int.Parse(reply.AsSpan(0, 3), System.Globalization.CultureInfo.InvariantCulture);
}
