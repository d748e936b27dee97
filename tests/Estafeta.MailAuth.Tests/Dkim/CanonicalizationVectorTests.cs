using System.Security.Cryptography;
using System.Text;
using Estafeta.MailAuth.Dkim;
using Xunit.Abstractions;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>RFC 6376 §3.4.5 examples and the empty-body hashes, through the code that signs.</summary>
public sealed class CanonicalizationVectorTests(ITestOutputHelper output)
{
    private const string Input = "rfc/rfc6376-3.4.5-input.eml";

    public static TheoryData<string, string> Vectors => new()
    {
        { "relaxed", "header" },
        { "relaxed", "body" },
        { "simple", "header" },
        { "simple", "body" },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void Rfc6376_section_3_4_5_example_canonicalizes_to_the_published_bytes(string algorithm, string part)
    {
        var canonicalization = algorithm == "relaxed" ? DkimCanonicalization.Relaxed : DkimCanonicalization.Simple;
        var message = WireMessage.Parse(DkimTestSuites.ReadBytes(Input));
        var expected = DkimTestSuites.ReadBytes($"rfc/rfc6376-3.4.5-{algorithm}-{part}.expected");

        byte[] actual = part == "header"
            ? message.Headers.SelectMany(h => DkimCanonicalizer.CanonicalizeHeader(message.FieldBytes(h), canonicalization)).ToArray()
            : DkimCanonicalizer.CanonicalizeBody(message.Body, canonicalization);

        output.WriteLine($"{algorithm} {part}: expected {expected.Length} octets, got {actual.Length}: {Escape(actual)}");
        Assert.Equal(Escape(expected), Escape(actual));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Empty_body_hashes_are_the_published_values()
    {
        var simple = Convert.ToBase64String(DkimCanonicalizer.BodyHash([], DkimCanonicalization.Simple));
        var relaxed = Convert.ToBase64String(DkimCanonicalizer.BodyHash([], DkimCanonicalization.Relaxed));
        output.WriteLine($"simple {simple}, relaxed {relaxed}");
        Assert.Equal("frcCV1k9oG9oKj3dpUqdJg1PxRT2RSN/XKdLCPjaYaY=", simple);
        Assert.Equal("47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", relaxed);
        Assert.Equal(simple, Convert.ToBase64String(DkimCanonicalizer.BodyHash("\r\n\r\n"u8, DkimCanonicalization.Simple)));
        Assert.Equal(relaxed, Convert.ToBase64String(DkimCanonicalizer.BodyHash(" \t\r\n\r\n  "u8, DkimCanonicalization.Relaxed)));
    }

    public static TheoryData<string, string, string> BodyCases => new()
    {
        { "simple", "abc", "abc\r\n" },
        { "simple", "abc\r\n\r\n\r\n", "abc\r\n" },
        { "simple", "a  b \r\n \r\n", "a  b \r\n \r\n" },
        { "relaxed", "a  b \r\n \r\n", "a b\r\n" },
        { "relaxed", "\r\n\r\nx\t\ty", "\r\n\r\nx y\r\n" },
        { "relaxed", "  lead\r\n", " lead\r\n" },
        { "relaxed", "bare\nlf  \r\n", "bare\nlf\r\n" },
        { "relaxed", "a \tb\t\t c  d\r\n", "a b c d\r\n" },
        { "relaxed", " \t lead  x \t\r\n\t\r\n", " lead x\r\n" },
    };

    [Fact]
    public void Relaxed_body_matches_a_line_by_line_reading_of_rfc6376_on_random_bodies()
    {
        var random = new Random(6376);
        string[] pieces = ["a", "b", " ", "  ", "\t", "\r\n", "\r\n", "\r", "\n"];
        for (var i = 0; i < 2000; i++)
        {
            var body = string.Concat(Enumerable.Range(0, random.Next(0, 40)).Select(_ => pieces[random.Next(pieces.Length)]));
            var expected = ReferenceRelaxedBody(body);
            var actual = Encoding.ASCII.GetString(DkimCanonicalizer.CanonicalizeBody(Encoding.ASCII.GetBytes(body), DkimCanonicalization.Relaxed));
            Assert.True(expected == actual, $"body \"{Escape(Encoding.ASCII.GetBytes(body))}\": expected \"{Escape(Encoding.ASCII.GetBytes(expected))}\", got \"{Escape(Encoding.ASCII.GetBytes(actual))}\"");
        }
        output.WriteLine("2000 random bodies canonicalized as the reference does");
    }

    /// <summary>RFC 6376 §3.4.4 read literally: lines are split at CRLF, whitespace runs become one
    /// SP, line-end whitespace goes, trailing empty lines go, every remaining line ends in CRLF.</summary>
    private static string ReferenceRelaxedBody(string body)
    {
        var lines = body.Split("\r\n").ToList();
        if (lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        var canonical = lines.Select(line =>
        {
            var squeezed = new StringBuilder();
            foreach (var c in line)
            {
                var space = c is ' ' or '\t';
                if (space && squeezed.Length > 0 && squeezed[^1] == ' ') continue;
                squeezed.Append(space ? ' ' : c);
            }
            return squeezed.ToString().TrimEnd(' ');
        }).ToList();
        while (canonical.Count > 0 && canonical[^1].Length == 0) canonical.RemoveAt(canonical.Count - 1);
        return string.Concat(canonical.Select(l => l + "\r\n"));
    }

    [Theory]
    [MemberData(nameof(BodyCases))]
    public void Body_edge_cases_follow_rfc6376(string algorithm, string body, string expected)
    {
        var canonicalization = algorithm == "relaxed" ? DkimCanonicalization.Relaxed : DkimCanonicalization.Simple;
        var actual = Encoding.ASCII.GetString(DkimCanonicalizer.CanonicalizeBody(Encoding.ASCII.GetBytes(body), canonicalization));
        Assert.Equal(expected, actual);
    }

    [Fact]
    public void Body_length_limit_hashes_only_the_first_l_canonical_octets()
    {
        var body = "Hello   world\r\nsecond line\r\n"u8;
        var (hash, length) = DkimCanonicalizer.TryHashBody(body, DkimCanonicalization.Relaxed, 5, checkLineEnds: true)!.Value;
        Assert.Equal(SHA256.HashData("Hello"u8), hash);
        Assert.Equal("Hello world\r\nsecond line\r\n".Length, length);
    }

    [Fact]
    public void Relaxed_header_unfolds_lowercases_the_name_and_squeezes_whitespace()
    {
        var field = "Subject \t:  Hola\r\n \t mundo  \t\r\n"u8;
        Assert.Equal("subject:Hola mundo\r\n", Encoding.ASCII.GetString(DkimCanonicalizer.CanonicalizeHeader(field, DkimCanonicalization.Relaxed)));
        Assert.Equal(field.ToArray(), DkimCanonicalizer.CanonicalizeHeader(field, DkimCanonicalization.Simple));
    }

    private static string Escape(byte[] bytes) =>
        Encoding.Latin1.GetString(bytes).Replace("\r", "\\r", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\t", "\\t", StringComparison.Ordinal);
}
