using System.Text;
using Estafeta.MailAuth.Dkim;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>The canonicalizer works on whole bodies and fields with vectorised searches; here it is
/// compared, on random text made of the octets that matter (SP, HTAB, CR, LF, CRLF and letters),
/// with a plain line-by-line reading of RFC 6376 §3.4.2 and §3.4.4.</summary>
public sealed class CanonicalizationReferenceTests
{
    private static readonly string[] Pieces = ["a", "b", "xyz", " ", "  ", "\t", " \t ", "\r\n", "\r\n", "\r\n\r\n", "\r", "\n", ":", "A"];

    [Fact]
    public void Relaxed_body_matches_the_line_by_line_rules_on_random_bodies()
    {
        var random = new Random(6376);
        for (var round = 0; round < 20_000; round++)
        {
            var body = RandomText(random, random.Next(0, 40));
            var expected = ReferenceRelaxedBody(body);
            var actual = Encoding.Latin1.GetString(DkimCanonicalizer.CanonicalizeBody(Encoding.Latin1.GetBytes(body), DkimCanonicalization.Relaxed));
            Assert.True(expected == actual, $"body {Escape(body)}: expected {Escape(expected)}, got {Escape(actual)}");
        }
    }

    [Fact]
    public void Relaxed_body_of_a_long_text_with_rare_runs_matches_the_rules()
    {
        var random = new Random(8463);
        for (var round = 0; round < 200; round++)
        {
            var text = new StringBuilder();
            while (text.Length < 30_000)
            {
                text.Append("Lorem ipsum dolor sit amet, consectetur adipiscing elit");
                text.Append(random.Next(40) switch { 0 => "  ", 1 => "\t", 2 => " \r\n", 3 => "\r\n\r\n", 4 => " ", _ => "\r\n" });
            }
            if (random.Next(2) == 0) text.Append(" \t\r\n\r\n \r\n");
            var body = text.ToString();
            Assert.Equal(ReferenceRelaxedBody(body),
                Encoding.Latin1.GetString(DkimCanonicalizer.CanonicalizeBody(Encoding.Latin1.GetBytes(body), DkimCanonicalization.Relaxed)));
        }
    }

    /// <summary>The body's bare LFs are found by the pass that canonicalizes it (vector loops of 64 and 32 octets, then
    /// one octet at a time): whatever the place of the bare LF, the hash of a message is that of its wire form.</summary>
    [Theory]
    [InlineData(DkimCanonicalization.Relaxed)]
    [InlineData(DkimCanonicalization.Simple)]
    public void A_bare_lf_anywhere_in_the_body_is_hashed_as_crlf(DkimCanonicalization canonicalization)
    {
        var random = new Random(5321);
        for (var round = 0; round < 5_000; round++)
        {
            var body = new StringBuilder();
            var length = random.Next(3) == 0 ? random.Next(0, 12) : random.Next(60, 200);
            while (body.Length < length) body.Append(random.Next(12) switch { 0 => " ", 1 => "\t", 2 or 3 => "\r\n", 4 => "\r", _ => "lorem" });
            // One to three bare LFs (or none), anywhere, the first octet and the last included.
            var bare = random.Next(4);
            for (var i = 0; i < bare; i++)
            {
                var at = random.Next(5) == 0 ? (random.Next(2) == 0 ? 0 : body.Length) : random.Next(body.Length + 1);
                if (at > 0 && body[at - 1] == '\r') at--;
                body.Insert(at, '\n');
            }
            var message = Encoding.Latin1.GetBytes("From: a@example.com\r\nSubject: x\r\n\r\n" + body);
            var wire = WireMessage.Parse(message);
            var (hash, canonicalLength) = wire.HashBody(canonicalization, 10);
            var converted = LineEnds.ToCrlf(Encoding.Latin1.GetBytes(body.ToString())).ToArray();
            var expected = DkimCanonicalizer.CanonicalizeBody(converted, canonicalization);
            Assert.True(expected.Length == canonicalLength, $"body {Escape(body.ToString())}");
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(expected.AsSpan(0, Math.Min(10, expected.Length))), hash);
            Assert.Equal(DkimCanonicalizer.BodyHash(converted, canonicalization), wire.HashBody(canonicalization).Hash);
            Assert.True(wire.BodyInWireForm);
            // The message is copied only when it had a bare LF.
            Assert.Equal(LineEnds.IndexOfBareLineFeed(message) < 0, wire.Bytes.Span.SequenceEqual(message));
        }
    }

    [Fact]
    public void A_bare_lf_in_the_header_puts_the_whole_message_in_wire_form_before_it_is_split()
    {
        foreach (var text in (string[])["From: a@example.com\nSubject: x\r\n\r\nbody\n", "\nFrom: a\r\n\r\nbody\r\n",
                     "From: a@example.com\r\n\nbody\r\n", "From: a\r\n folded\n more\r\nTo: b\r\n\r\nbody\r\n"])
        {
            var wire = WireMessage.Parse(Encoding.ASCII.GetBytes(text));
            var expected = LineEnds.ToCrlf(Encoding.ASCII.GetBytes(text)).ToArray();
            Assert.True(wire.BodyInWireForm, Escape(text));
            Assert.Equal(expected, wire.Bytes.ToArray());
            Assert.Equal(WireMessage.Parse(expected).Headers, wire.Headers);
        }
    }

    [Fact]
    public void Relaxed_header_matches_the_unfold_and_collapse_rules_on_random_fields()
    {
        var random = new Random(5322);
        for (var round = 0; round < 20_000; round++)
        {
            var name = random.Next(4) switch { 0 => "Subject", 1 => "X-Mixed-Case ", 2 => "to\t", _ => "FROM" };
            var field = name + (random.Next(10) == 0 ? "" : ":") + RandomText(random, random.Next(0, 20)) + (random.Next(3) == 0 ? "" : "\r\n");
            var expected = ReferenceRelaxedHeader(field);
            var actual = Encoding.Latin1.GetString(DkimCanonicalizer.CanonicalizeHeader(Encoding.Latin1.GetBytes(field), DkimCanonicalization.Relaxed));
            Assert.True(expected == actual, $"field {Escape(field)}: expected {Escape(expected)}, got {Escape(actual)}");
        }
    }

    /// <summary>Long values, mostly words and single spaces (the one-copy path, read 64 octets at a time), some with a
    /// second space, a tab or a fold at any place, block boundaries included.</summary>
    [Fact]
    public void Relaxed_header_of_long_single_spaced_values_matches_the_rules()
    {
        var random = new Random(6854);
        for (var round = 0; round < 5_000; round++)
        {
            var value = new StringBuilder(random.Next(3) == 0 ? " " : "");
            var length = random.Next(0, 200);
            while (value.Length < length) value.Append(random.Next(4) == 0 ? "x" : "palabra").Append(' ');
            if (random.Next(2) == 0 && value.Length > 0) value.Length--;
            if (random.Next(3) == 0) value.Insert(random.Next(value.Length + 1), random.Next(3) switch { 0 => " ", 1 => "\t", _ => "\r\n " });
            var field = "List-Unsubscribe:" + value + "\r\n";
            var expected = ReferenceRelaxedHeader(field);
            var actual = Encoding.Latin1.GetString(DkimCanonicalizer.CanonicalizeHeader(Encoding.Latin1.GetBytes(field), DkimCanonicalization.Relaxed));
            Assert.True(expected == actual, $"field {Escape(field)}: expected {Escape(expected)}, got {Escape(actual)}");
        }
    }

    private static string RandomText(Random random, int pieces)
    {
        var text = new StringBuilder();
        for (var i = 0; i < pieces; i++) text.Append(Pieces[random.Next(Pieces.Length)]);
        return text.ToString();
    }

    /// <summary>§3.4.4 taken literally, line by line (lines end in CRLF; a bare CR or LF is an
    /// ordinary octet of its line).</summary>
    private static string ReferenceRelaxedBody(string body)
    {
        var lines = body.Split("\r\n").ToList();
        var unterminated = !body.EndsWith("\r\n", StringComparison.Ordinal);
        if (!unterminated) lines.RemoveAt(lines.Count - 1); // the empty string after the last CRLF
        else if (lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1); // empty body
        var canonical = lines.Select(line => CollapseWhitespace(line).TrimEnd(' ')).ToList();
        while (canonical.Count > 0 && canonical[^1].Length == 0) canonical.RemoveAt(canonical.Count - 1);
        return string.Concat(canonical.Select(line => line + "\r\n"));
    }

    /// <summary>§3.4.2: lowercase name, unfold, collapse WSP, trim value and name.</summary>
    private static string ReferenceRelaxedHeader(string field)
    {
        var terminated = field.EndsWith("\r\n", StringComparison.Ordinal);
        if (terminated) field = field[..^2];
        var colon = field.IndexOf(':', StringComparison.Ordinal);
        var name = (colon < 0 ? field : field[..colon]).TrimEnd(' ', '\t').ToLowerInvariant();
        var value = colon < 0 ? "" : field[(colon + 1)..];
        value = CollapseWhitespace(value.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)).Trim(' ');
        return name + ":" + value + (terminated ? "\r\n" : "");
    }

    /// <summary>Runs of SP and HTAB as one SP (the reference canonicalizations; also the fuzz tests').</summary>
    internal static string CollapseWhitespace(string text)
    {
        var result = new StringBuilder();
        var inRun = false;
        foreach (var c in text)
        {
            if (c is ' ' or '\t')
            {
                if (!inRun) result.Append(' ');
                inRun = true;
                continue;
            }
            inRun = false;
            result.Append(c);
        }
        return result.ToString();
    }

    private static string Escape(string text) =>
        text.Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
}
