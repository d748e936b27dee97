using System.Buffers;
using System.Globalization;
using System.Numerics;
using System.Text;
using Estafeta.Net;
using Estafeta.Testing;

namespace Estafeta.Pop3.Tests.Fuzz;

/// <summary>The POP3 command grammar, message numbers, SASL PLAIN responses and the dot-stuffing of RETR and
/// TOP, fed real commands, mutations of them and random octets: nothing throws, and what is accepted keeps
/// to RFC 1939 and RFC 2449.</summary>
public sealed class CommandGrammarFuzzTests
{
    internal static readonly string[] Commands =
    [
        "USER alice", "PASS secret", "PASS pass with spaces", "APOP alice c4c9334bac560ecc979e58001b3e22fb", "STAT", "LIST", "LIST 1",
        "UIDL", "UIDL 2", "RETR 1", "TOP 1 0", "TOP 2 10", "DELE 1", "RSET", "NOOP", "CAPA", "STLS", "QUIT",
        "AUTH", "AUTH PLAIN", "AUTH PLAIN AGFsaWNlAHNlY3JldA==", "auth plain =", "list 0000000000000000001",
    ];

    internal static readonly string[] Tokens =
    [
        " ", "  ", "\t", "\0", "\r", "\n", "\r\n", "0", "1", "-1", "+1", "99999999999", "2147483648", "00", "١", "²", "é",
        "\u0085", "\u2028", "=", "*", "AGFsaWNlAHNlY3JldA==", "USER", "PASS", "RETR", "TOP", "DELE", "QUIT", ".", "..",
    ];

    [Fact]
    public void Mutated_commands_parse_to_a_keyword_and_arguments_of_the_grammar_or_an_error()
    {
        Fuzzing.Run(1939, 4000, r => Fuzzing.Show(Line(r)), random =>
        {
            var line = Line(random);
            if (!CommandParser.TryParse(line, out var command, out var error))
            {
                Assert.False(string.IsNullOrEmpty(error));
                Assert.DoesNotContain(error, char.IsControl);
                return;
            }
            Assert.True(command.Keyword.Length is > 0 and <= CommandParser.MaxKeywordLength && command.Keyword.All(char.IsAsciiLetterUpper), command.Keyword);
            Assert.DoesNotContain(command.Argument, char.IsControl);
            Assert.All(command.Arguments, a => Assert.True(a.Length > 0 && !a.Contains(' ', StringComparison.Ordinal)));
            _ = Transcript.Client(command);
        });
    }

    [Fact]
    public void Message_numbers_are_ascii_digits_read_without_overflow()
    {
        Fuzzing.Run(1725, 4000, r => Fuzzing.Show(Number(r)), random =>
        {
            var text = Number(random);
            if (!MessageNumbers.TryParse(text, out var number))
            {
                Assert.False(text.Length > 0 && text.All(char.IsAsciiDigit), text);
                return;
            }
            Assert.True(text.Length > 0 && text.All(char.IsAsciiDigit), text);
            var exact = BigInteger.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
            Assert.Equal(exact > int.MaxValue ? int.MaxValue : (int)exact, number);
        });
    }

    [Fact]
    public void Sasl_plain_responses_decode_or_are_refused_with_a_printable_reason()
    {
        Fuzzing.Run(5034, 3000, r => Fuzzing.Show(PlainResponse(r)), random =>
        {
            var response = PlainResponse(random);
            if (!SaslPlain.TryDecode(response, out var credentials, out var error))
            {
                Assert.True(error.Length > 0 && error.All(c => c is >= ' ' and <= '~'), error);
                return;
            }
            Assert.True(credentials.Login.Length > 0 && credentials.Password.Length > 0);
            Assert.DoesNotContain('\0', credentials.Login + credentials.Password);
        });
    }

    [Fact]
    public void Retr_and_top_send_the_stored_message_dot_stuffed_in_any_split()
    {
        Fuzzing.Run(2449, 2000, r => Fuzzing.Show(StoredMessage(r)), random =>
        {
            var message = StoredMessage(random);
            int? top = random.Chance(0.5) ? random.Next(0, 6) : null;
            var encoder = new DotStuffingWriter.Encoder(top);
            var output = new ArrayBufferWriter<byte>();
            for (var offset = 0; offset < message.Length && !encoder.Finished;)
            {
                var size = Math.Min(message.Length - offset, random.Next(1, 20));
                encoder.Encode(message.AsSpan(offset, size), output);
                offset += size;
            }
            encoder.Finish(output);
            Assert.Equal(Fuzzing.Show(Expected(message, top)), Fuzzing.Show(Unstuff(output.WrittenSpan.ToArray())));
        });
    }

    /// <summary>What RETR (no line count) or TOP sends, before stuffing: the header, the blank line and at most
    /// <paramref name="top"/> body lines (RFC 1939 §7), the whole message when there is no blank line.</summary>
    internal static byte[] Expected(byte[] message, int? top)
    {
        if (top is not { } count) return message;
        var text = Encoding.Latin1.GetString(message);
        var blank = text.StartsWith("\r\n", StringComparison.Ordinal) ? -2 : text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (blank == -1) return message;
        var bodyStart = blank + 4;
        var end = bodyStart;
        for (var i = 0; i < count && end < text.Length; i++)
        {
            var next = text.IndexOf("\r\n", end, StringComparison.Ordinal);
            end = next < 0 ? text.Length : next + 2;
        }
        return message[..end];
    }

    /// <summary>The multi-line body as a client reads it (RFC 1939 §3): up to the "." line, one leading dot
    /// taken off every line that has one.</summary>
    internal static byte[] Unstuff(byte[] wire)
    {
        var text = Encoding.Latin1.GetString(wire);
        Assert.EndsWith("\r\n.\r\n", "\r\n" + text, StringComparison.Ordinal);
        var lines = text[..^3].Split("\r\n");
        var body = string.Join("\r\n", lines[..^1].Select(l => l.StartsWith('.') ? l[1..] : l));
        return Encoding.Latin1.GetBytes(lines.Length > 1 ? body + "\r\n" : "");
    }

    /// <summary>A message as the store keeps it: CRLF line ends throughout, lines often starting with dots.</summary>
    internal static byte[] StoredMessage(Random random)
    {
        var lines = new List<string>();
        for (var i = random.Next(0, 4); i > 0; i--) lines.Add($"X-H{i}: {random.Word(10)}");
        if (random.Chance(0.8)) lines.Add("");
        for (var i = random.Next(0, 8); i > 0; i--) lines.Add(random.Pick([".", "..", ".x", "", "text", random.Word(20), "é", "\0"]));
        var text = string.Concat(lines.Select(l => Clean(l) + "\r\n"));
        return Encoding.UTF8.GetBytes(text);

        static string Clean(string line) => new([.. line.Where(c => c is not ('\r' or '\n'))]);
    }

    private static byte[] Line(Random random)
    {
        var text = random.Pick(Commands);
        if (random.Chance(0.9)) text = random.Mutate(text, Tokens);
        var bytes = Encoding.UTF8.GetBytes(text);
        return random.Chance(0.3) ? random.Mutate(bytes) : bytes;
    }

    private static string Number(Random random)
    {
        var text = random.Pick(["1", "0", "42", "2147483647", "2147483648", "000000000000000000000000000000001", "99999999999999999999999", ""]);
        return random.Chance(0.7) ? random.Mutate(text, Tokens) : text;
    }

    private static string PlainResponse(Random random)
    {
        var message = random.Pick(["\0alice\0secret", "alice\0alice\0secret", "bob\0alice\0secret", "\0alice\0", "\0\0", "alice", "\0é\0\u0085"]);
        var text = random.Pick([Convert.ToBase64String(Encoding.UTF8.GetBytes(message)), "=", "*", "", "A", "AA==", "===="]);
        if (random.Chance(0.7)) text = random.Mutate(text, ["=", "==", "+", "/", " ", "\t", "AAAA", "\u00ff"]);
        return text;
    }
}
