using System.Text;
using Estafeta.MailAuth.Dkim;
using Estafeta.MailAuth.Dmarc;
using Estafeta.MailAuth.Tests.Dkim;
using Estafeta.Testing;

namespace Estafeta.MailAuth.Tests.Fuzz;

/// <summary>DKIM over random and mutated input: tag lists, the octet-level signature parser against the
/// tag-list one, key records, canonicalization against a plain reading of RFC 6376 §3.4 on any octets,
/// and the verifier on signed messages with flipped bits, cuts, refolds, bare LFs, NULs and 8-bit octets.</summary>
public sealed class DkimFuzzTests
{
    private static readonly string[] Tokens =
    [
        ";", "=", " ", "\r\n ", "\r\n\t", "\r\n", "\n", "\t", "v=1", "a=rsa-sha256", "a=ed25519-sha256", "a=rsa-sha1", "c=relaxed/relaxed",
        "c=simple", "c=relaxed", "c=simple/relaxed", "d=news.example.com", "s=rsa2025", "h=from", "h=from:to:subject", "bh=", "b=", "i=@news.example.com",
        "i=joe@sub.news.example.com", "l=0", "l=10", "t=1700000000", "x=1700000001", "x=1", "q=dns/txt", "z=a|b", "AAAA", "====", "+/", "l=99999999999999999999",
        "t=999999999999999999", ":", "from:", ":from", "d=", "s=", "h=", "\u00e9", "\u00ff", "\0", "v=1;", ";;",
    ];

    private static readonly Lazy<string[]> SignedValues = new(() =>
    {
        var signer = TestKeys.DualSigner();
        return [.. new[] { TestMessages.Plain(), TestMessages.EncodedUtf8Subject(), TestMessages.RawUtf8Subject() }
            .SelectMany(message => signer.Sign(message).Split("DKIM-Signature:", StringSplitOptions.RemoveEmptyEntries))];
    });

    [Fact]
    public void The_octet_parser_accepts_only_what_the_tag_list_accepts_with_the_same_values()
    {
        var agreed = 0;
        Fuzzing.Run(6376, 4000, r => Fuzzing.Show(SignatureValue(r)), random =>
        {
            var bytes = SignatureBytes(SignatureValue(random));
            var latin1 = Encoding.Latin1.GetString(bytes);
            var listed = DkimTagList.TryParse(latin1, out var tags, out var tagError);
            Assert.True(listed || tagError.Length > 0);
            DkimSignature? slow = null;
            var parsed = listed && DkimSignature.TryParse(tags, out slow, out var error) && error.Length == 0;
            var fast = DkimSignature.ParseWellFormed(bytes);
            if (fast is null)
            {
                return;
            }

            Assert.True(parsed, $"the octet parser accepted what the tag list refuses: {tagError}");
            agreed++;
            WellFormedSignatureTests.AssertSame(slow!, fast, tags);
        });
        Assert.True(agreed > Fuzzing.Iterations(4000) / 20, $"only {agreed} signatures went through the octet parser");
    }

    [Fact]
    public void Tag_lists_and_key_records_of_any_text_parse_or_give_a_reason()
    {
        var keys = new[] { TestKeys.Rsa.DnsTxtValue, TestKeys.Ed25519.DnsTxtValue, "v=DKIM1; p=", "v=DKIM1; k=ed25519; p=AAAA", "v=DKIM1; h=sha256; s=email; t=y:s; p=MIIB" };
        Fuzzing.Run(8463, 3000, r => Fuzzing.Show(KeyText(r, keys)), random =>
        {
            var text = KeyText(random, keys);
            if (DkimPublicKeyRecord.TryParse(text, out var record, out var error))
            {
                Assert.NotNull(record);
                _ = record.AllowsEmail;
                _ = record.AllowsHash("sha256");
                using var key = DkimPublicKey.Import(record, out var importError);
                Assert.True(key is not null || importError.Length > 0);
                key?.VerifyDigest(new byte[32], new byte[random.Next(600)]);
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(error));
            }
        });
    }

    private static string KeyText(Random random, string[] keys) =>
        random.Chance(0.1) ? random.Word(60) : random.Mutate(random.Pick(keys), Tokens);

    [Theory]
    [InlineData(DkimCanonicalization.Simple)]
    [InlineData(DkimCanonicalization.Relaxed)]
    public void Bodies_of_any_octets_canonicalize_as_rfc_6376_reads(DkimCanonicalization canonicalization)
    {
        Fuzzing.Run(3443 + (int)canonicalization, 1500, r => Fuzzing.Show(Body(r)), random =>
        {
            var body = Body(random);
            var expected = canonicalization == DkimCanonicalization.Simple ? ReferenceSimpleBody(body) : ReferenceRelaxedBody(body);
            var actual = DkimCanonicalizer.CanonicalizeBody(body, canonicalization);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"expected {Fuzzing.Show(expected)}, got {Fuzzing.Show(actual)}");
            Assert.Equal(System.Security.Cryptography.SHA256.HashData(expected), DkimCanonicalizer.BodyHash(body, canonicalization));
        });
    }

    [Fact]
    public void Header_fields_of_any_octets_canonicalize_as_rfc_6376_reads()
    {
        Fuzzing.Run(3442, 3000, r => Fuzzing.Show(Field(r)), random =>
        {
            var field = Field(random);
            var expected = ReferenceRelaxedHeader(field);
            var actual = DkimCanonicalizer.CanonicalizeHeader(field, DkimCanonicalization.Relaxed);
            Assert.True(expected.AsSpan().SequenceEqual(actual), $"expected {Fuzzing.Show(expected)}, got {Fuzzing.Show(actual)}");
            Assert.Equal(field, DkimCanonicalizer.CanonicalizeHeader(field, DkimCanonicalization.Simple));
        });
    }

    [Fact]
    public async Task Mutated_signed_messages_verify_to_a_status_and_a_result_header_that_parses_back()
    {
        var signer = TestKeys.DualSigner();
        var signed = new[] { TestMessages.Plain(), TestMessages.EncodedUtf8Subject(), TestMessages.RawUtf8Subject() }
            .Select(message => signer.SignAndPrepend(message)).ToArray();
        var verifier = TestKeys.Verifier(TestKeys.PublishedDns());
        var intact = 0;
        await Fuzzing.RunAsync(5322, 300, r => Fuzzing.Show(Message(r, signed)), async random =>
        {
            var message = Message(random, signed);
            var results = await verifier.VerifyAsync(message).WaitAsync(TimeSpan.FromSeconds(10));
            Assert.NotEmpty(results);
            foreach (var result in results)
            {
                Assert.True(Enum.IsDefined(result.Status));
                Assert.False(string.IsNullOrEmpty(result.Reason));
                if (result.Status == DkimStatus.Pass) intact++;
                var header = result.ToAuthenticationResults();
                Assert.DoesNotContain(header, c => c is < ' ' and not '\t' or '\x7f');
                Assert.True(AuthenticationResultsParser.TryParseResinfo(header, out var parsed, out var error), $"{Fuzzing.Show(header)}: {error}");
                Assert.Equal(("dkim", result.Keyword), (parsed!.Method, parsed.Result));
                Assert.Equal(Written(result.Domain), parsed["header.d"]);
                Assert.Equal(Written(result.HeaderB), parsed["header.b"]);
            }
        });
        Assert.True(intact > 0, "no mutated message kept a verifying signature");
    }

    /// <summary>A property value as a result header carries it: control characters but HTAB written as spaces.</summary>
    private static string? Written(string? value) =>
        string.IsNullOrEmpty(value) ? null : new string([.. value.Select(c => c is < ' ' and not '\t' or '\x7f' ? ' ' : c)]);

    /// <summary>A DKIM-Signature value: one a signer wrote, mutated, or one put together from tags.</summary>
    private static string SignatureValue(Random random)
    {
        if (random.Chance(0.4))
        {
            var value = random.Pick(SignedValues.Value);
            return random.Chance(0.8) ? random.Mutate(value, Tokens) : value;
        }

        var tags = new List<string>
        {
            "v=" + random.Pick(["1", "1", "1", " 1", "2", ""]),
            "a=" + random.Pick(["rsa-sha256", "ed25519-sha256", "rsa-sha1", "RSA-SHA256", "rsa-sha512"]),
            "d=" + random.Pick(["news.example.com", "sub.news.example.com", "NEWS.example.com", "news..example.com", "news.example.com.", "x_y.example", "\u00e9.example"]),
            "s=" + random.Pick(["rsa2025", "a.b", "_s", "s\u00ff", ""]),
            "h=" + random.Pick(["from", "From", "from:to", " from : to ", "to", "from::to", "from:\r\n to", "FROM:From:from", "from\u00e9"]),
            "bh=" + random.Pick(["47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", "AAAA", "AA==", "A===", "AA\r\n AA", "", "====", "AAA", "AB=="]),
            "b=" + random.Pick(["dzdVyOfAKCdLXdJOc9G2q8LoXSlEniSbav+yuU4zGeeruD00lszZVoG4ZHRNiYzR", "A A A A", "AAAA", "AA\t==", "", new string('A', 4100), new string('A', 4096)]),
        };
        if (random.Chance(0.5)) tags.Add("c=" + random.Pick(["relaxed/relaxed", "relaxed", "simple", "simple/relaxed", "relaxed/simple", "simple/simple", "Relaxed", "relaxed/", "/relaxed", "relaxed/relaxed/relaxed"]));
        if (random.Chance(0.3)) tags.Add("i=" + random.Pick(["@news.example.com", "joe@sub.news.example.com", "joe", "@", "a@b@news.example.com", "@xnews.example.com", " joe @ news.example.com", ""]));
        if (random.Chance(0.3)) tags.Add("l=" + random.Pick(["0", "10", "123456789012345678", "1234567890123456789", "99999999999999999999", "-1", "", "1 0"]));
        if (random.Chance(0.3)) tags.Add("t=" + random.Pick(["1700000000", "0", "999999999999999999", "9223372036854775808"]));
        if (random.Chance(0.3)) tags.Add("x=" + random.Pick(["1700000001", "1", "999999999999999999", "9223372036854775807"]));
        if (random.Chance(0.2)) tags.Add("q=" + random.Pick(["dns/txt", "DNS/TXT", "dns/txt:x", "x"]));
        var unknown = random.Next(random.Chance(0.1) ? 12 : 3);
        for (var i = 0; i < unknown; i++) tags.Add(random.Pick(["z", "n", "zz", "b2", "B", "A_1", "z"]) + "=" + random.Word(6));
        var ordered = tags.OrderBy(_ => random.Next()).ToList();
        var text = string.Join(random.Pick(["; ", ";", ";\r\n\t", " ; "]), ordered) + random.Pick(["", ";", "; ", "\r\n"]);
        return random.Chance(0.5) ? random.Mutate(text, Tokens) : text;
    }

    /// <summary>The value's octets: Latin-1 where it can be, else UTF-8 (as a message would carry it).</summary>
    private static byte[] SignatureBytes(string value) =>
        value.All(c => c <= '\u00ff') ? Encoding.Latin1.GetBytes(value) : Encoding.UTF8.GetBytes(value);

    private static byte[] Message(Random random, byte[][] signed)
    {
        var message = random.Pick(signed);
        return random.Next(6) switch
        {
            0 => message,
            1 => Encoding.Latin1.GetBytes(Encoding.Latin1.GetString(message).Replace("\r\n", "\n", StringComparison.Ordinal)),
            2 => Refolded(random, message),
            _ => random.Mutate(message),
        };
    }

    /// <summary>The header refolded at random spaces (relaxed signatures still verify).</summary>
    private static byte[] Refolded(Random random, byte[] message)
    {
        var text = Encoding.Latin1.GetString(message);
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        var header = new StringBuilder();
        foreach (var c in text[..split])
        {
            header.Append(c == ' ' && random.Chance(0.1) ? "\r\n " : c.ToString());
        }

        return Encoding.Latin1.GetBytes(header + text[split..]);
    }

    private static byte[] Body(Random random)
    {
        var pieces = new List<byte>();
        var length = random.Chance(0.2) ? random.Next(300) : random.Next(40);
        while (pieces.Count < length)
        {
            pieces.AddRange(random.Next(10) switch
            {
                0 => [13, 10],
                1 => [32],
                2 => [9],
                3 => [13],
                4 => [10],
                5 => [(byte)random.Next(256)],
                6 => [13, 10, 13, 10],
                7 => [32, 9, 32],
                _ => "abc"u8.ToArray(),
            });
        }

        return [.. pieces];
    }

    private static byte[] Field(Random random)
    {
        var name = random.Pick(["Subject", "X-Mixed-Case ", "to\t", "FROM", "\u00c0b", "a\0b"]);
        var value = Body(random);
        var field = Encoding.Latin1.GetBytes(name).Concat(random.Chance(0.9) ? ":"u8.ToArray() : []).Concat(value);
        return [.. field, .. random.Chance(0.7) ? "\r\n"u8.ToArray() : []];
    }

    /// <summary>§3.4.3: the body as it is, less empty lines at its end, and a CRLF after an unterminated last line
    /// (an empty body is one CRLF). Lines end in CRLF; a bare CR or LF is an octet of its line.</summary>
    private static byte[] ReferenceSimpleBody(byte[] body)
    {
        var text = Encoding.Latin1.GetString(body);
        while (text.EndsWith("\r\n", StringComparison.Ordinal)) text = text[..^2];
        return Encoding.Latin1.GetBytes(text + "\r\n");
    }

    /// <summary>§3.4.4: each line's runs of SP and HTAB made one SP, those at its end dropped, then empty lines
    /// at the end of the body dropped; an empty body stays empty.</summary>
    private static byte[] ReferenceRelaxedBody(byte[] body)
    {
        var text = Encoding.Latin1.GetString(body);
        var lines = text.Split("\r\n").ToList();
        if (text.EndsWith("\r\n", StringComparison.Ordinal) || lines[^1].Length == 0) lines.RemoveAt(lines.Count - 1);
        var canonical = lines.Select(line => CanonicalizationReferenceTests.CollapseWhitespace(line).TrimEnd(' ')).ToList();
        while (canonical.Count > 0 && canonical[^1].Length == 0) canonical.RemoveAt(canonical.Count - 1);
        return Encoding.Latin1.GetBytes(string.Concat(canonical.Select(line => line + "\r\n")));
    }

    /// <summary>§3.4.2: the name in lower case (ASCII letters only) without the WSP before the colon; the value
    /// unfolded (every CR and LF dropped), runs of WSP made one SP, trimmed at both ends.</summary>
    private static byte[] ReferenceRelaxedHeader(byte[] field)
    {
        var text = Encoding.Latin1.GetString(field);
        var terminated = text.EndsWith("\r\n", StringComparison.Ordinal);
        if (terminated) text = text[..^2];
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var name = new string([.. (colon < 0 ? text : text[..colon]).TrimEnd(' ', '\t').Select(c => char.IsAsciiLetterUpper(c) ? char.ToLowerInvariant(c) : c)]);
        var value = colon < 0 ? "" : text[(colon + 1)..];
        value = CanonicalizationReferenceTests.CollapseWhitespace(value.Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)).Trim(' ');
        return Encoding.Latin1.GetBytes(name + ":" + value + (terminated ? "\r\n" : ""));
    }
}
