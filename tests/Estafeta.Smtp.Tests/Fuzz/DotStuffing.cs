using System.Text;
using Estafeta.Testing;

namespace Estafeta.Smtp.Tests.Fuzz;

/// <summary>A plain reference for what a DATA body stores, written line by line and independently of the
/// engine's state machine: lines end at CRLF, a bare CR or a bare LF, every line is stored with CRLF, a
/// leading "." is removed, and only a "." line between two CRLFs (or first, right after DATA) ends the body.</summary>
internal static class DotStuffing
{
    public sealed record Decoded(byte[] Body, int Consumed, bool BareLineBreaks);

    /// <summary>Null when the input holds no terminator.</summary>
    public static Decoded? Decode(byte[] input)
    {
        var body = new List<byte>();
        var afterCrlf = true;
        var bare = false;
        var i = 0;
        while (true)
        {
            var end = i;
            while (end < input.Length && input[end] != '\r' && input[end] != '\n') end++;
            if (end == input.Length) return null;
            var crlf = input[end] == '\r' && end + 1 < input.Length && input[end + 1] == '\n';
            if (input[end] == '\r' && end + 1 == input.Length) return null;
            var line = input.AsSpan(i, end - i);
            if (afterCrlf && crlf && line is [(byte)'.']) return new Decoded([.. body], end + 2, bare);
            body.AddRange(line.Length > 0 && line[0] == '.' ? line[1..] : line);
            body.Add((byte)'\r');
            body.Add((byte)'\n');
            bare |= !crlf;
            afterCrlf = crlf;
            i = end + (crlf ? 2 : 1);
        }
    }

    /// <summary>Dot-stuffs a body as a client does (RFC 5321 §4.5.2) and adds the terminator; the body
    /// gets a final CRLF when it has none.</summary>
    public static byte[] Stuff(byte[] body)
    {
        var output = new List<byte>();
        var lineStart = true;
        foreach (var b in body)
        {
            if (lineStart && b == '.') output.Add((byte)'.');
            output.Add(b);
            lineStart = b == '\n';
        }
        if (body.Length > 0 && !(body.Length >= 2 && body[^2] == '\r' && body[^1] == '\n')) output.AddRange("\r\n"u8.ToArray());
        output.AddRange(".\r\n"u8.ToArray());
        return [.. output];
    }

    /// <summary>The body with every CR and LF that is not part of a CRLF pair taken out.</summary>
    public static byte[] CrlfOnly(byte[] body)
    {
        var output = new List<byte>(body.Length);
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == '\r' && i + 1 < body.Length && body[i + 1] == '\n') { output.Add(body[i]); output.Add(body[++i]); }
            else if (body[i] is not ((byte)'\r' or (byte)'\n')) output.Add(body[i]);
        }
        return [.. output];
    }

    private static readonly string[] Pieces =
    [
        "Subject: fuzz\r\n", "\r\n", ".", "..", ".\r\n", "\r\n.\r\n", "\r\n.", ".\r", "\r", "\n", "\n.\n", "\r.\r", "\r\n..\r\n",
        "\r\n.\n", "\n.\r\n", "text", "é", "\0", "\u00ff", " ", "\t", "From: a@example.test\r\n",
    ];

    /// <summary>A random body: lines of text and the pieces dot-stuffing and smuggling are made of.</summary>
    public static byte[] RandomBody(Random random, int maxPieces = 40)
    {
        var text = new StringBuilder();
        var count = random.Next(0, maxPieces);
        for (var i = 0; i < count; i++) text.Append(random.Chance(0.6) ? random.Pick(Pieces) : random.Word(30));
        var bytes = Encoding.UTF8.GetBytes(text.ToString());
        return random.Chance(0.3) ? random.Mutate(bytes) : bytes;
    }
}
