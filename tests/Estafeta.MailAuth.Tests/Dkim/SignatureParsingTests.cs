using System.Security.Cryptography;
using System.Text;
using Estafeta.MailAuth.Dkim;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>The span-based pieces of signature parsing and header hashing, checked against plain
/// reference forms: h= splitting, c= parsing, tag lists long enough to be indexed, b= removal in place,
/// and the SHA-256 the DKIM hashes go through.</summary>
public sealed class SignatureParsingTests
{
    [Theory]
    [InlineData("from:to:subject")]
    [InlineData(" From : To\r\n\t:Subject ")]
    [InlineData("from::to")]
    [InlineData("from:")]
    [InlineData("x-custom:Message-ID:message-id:List-Unsubscribe-Post")]
    public void Header_names_split_like_split_and_trim(string value)
    {
        var expected = value.Split(':').Select(DkimTagList.Trim).ToArray();
        Assert.Equal(expected, DkimSignature.SplitHeaderNames(value));
    }

    [Fact]
    public void Header_names_split_like_split_and_trim_on_random_lists()
    {
        var random = new Random(5322);
        string[] pieces = ["from", "From", "to", "x-a", ":", ":", " ", "\t", "\r\n ", "subject", "List-Id"];
        for (var round = 0; round < 5000; round++)
        {
            var text = new StringBuilder();
            for (var i = random.Next(0, 12); i > 0; i--) text.Append(pieces[random.Next(pieces.Length)]);
            var value = text.ToString();
            Assert.Equal(value.Split(':').Select(DkimTagList.Trim).ToArray(), DkimSignature.SplitHeaderNames(value));
        }
    }

    [Theory]
    [InlineData(null, true, DkimCanonicalization.Simple, DkimCanonicalization.Simple)]
    [InlineData("relaxed", true, DkimCanonicalization.Relaxed, DkimCanonicalization.Simple)]
    [InlineData("relaxed/relaxed", true, DkimCanonicalization.Relaxed, DkimCanonicalization.Relaxed)]
    [InlineData(" Relaxed / SIMPLE ", true, DkimCanonicalization.Relaxed, DkimCanonicalization.Simple)]
    [InlineData("simple/relaxed", true, DkimCanonicalization.Simple, DkimCanonicalization.Relaxed)]
    [InlineData("", false, default(DkimCanonicalization), default(DkimCanonicalization))]
    [InlineData("relaxed/", false, default(DkimCanonicalization), default(DkimCanonicalization))]
    [InlineData("relaxed/relaxed/relaxed", false, default(DkimCanonicalization), default(DkimCanonicalization))]
    [InlineData("nofws", false, default(DkimCanonicalization), default(DkimCanonicalization))]
    public void Canonicalization_tag_is_read_or_refused(string? c, bool valid, DkimCanonicalization header, DkimCanonicalization body)
    {
        var text = "v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=AAAA; b=AAAA" + (c is null ? "" : "; c=" + c);
        Assert.True(DkimTagList.TryParse(text, out var tags, out _));
        Assert.Equal(valid, DkimSignature.TryParse(tags, out var signature, out var error));
        if (!valid)
        {
            Assert.StartsWith("unsupported canonicalization", error, StringComparison.Ordinal);
            return;
        }
        Assert.Equal(header, signature!.HeaderCanonicalization);
        Assert.Equal(body, signature.BodyCanonicalization);
    }

    [Theory]
    [InlineData("t=12a", "t=12a is not a number")]
    [InlineData("t=", "t= is not a number")]
    [InlineData("x=-5", "x=-5 is not a number")]
    public void Numbers_must_be_digits(string tag, string reason)
    {
        Assert.True(DkimTagList.TryParse("v=1; a=rsa-sha256; d=example.com; s=sel; h=from; bh=AAAA; b=AAAA; " + tag, out var tags, out _));
        Assert.False(DkimSignature.TryParse(tags, out _, out var error));
        Assert.Equal(reason, error);
    }

    [Fact]
    public void Long_tag_lists_find_every_tag_and_refuse_a_late_duplicate()
    {
        var text = string.Join("; ", Enumerable.Range(0, 100).Select(i => $"t{i}=v{i}"));
        Assert.True(DkimTagList.TryParse(text, out var tags, out var error), error);
        Assert.Equal(100, tags.Order.Count);
        for (var i = 0; i < 100; i++)
        {
            Assert.Equal($"t{i}", tags.Order[i]);
            Assert.Equal($"v{i}", tags[$"t{i}"]);
        }
        Assert.Null(tags["t100"]);
        Assert.False(tags.Contains("v"));

        Assert.False(DkimTagList.TryParse(text + "; t3=again", out _, out error));
        Assert.Equal("duplicate tag t3=", error);
        Assert.False(DkimTagList.TryParse(text + "; t99=again", out _, out error));
        Assert.Equal("duplicate tag t99=", error);
    }

    [Theory]
    [InlineData("DKIM-Signature: v=1; b=AB\r\n CD==; d=x", "DKIM-Signature: v=1; b=; d=x")]
    [InlineData("DKIM-Signature: v=1; d=x; b= AB\r\n\tCD \r\n", "DKIM-Signature: v=1; d=x; b= ")] // whitespace after the value stays
    [InlineData("DKIM-Signature: v=1; bh=AB; b=CD; x=1", "DKIM-Signature: v=1; bh=AB; b=; x=1")]
    [InlineData("DKIM-Signature: v=1; d=x", "DKIM-Signature: v=1; d=x")]
    public void Signature_value_is_removed_in_place(string field, string expected)
    {
        var bytes = Encoding.ASCII.GetBytes(field);
        Assert.Equal(expected, Encoding.ASCII.GetString(SignatureValueRemoval.WithoutSignatureValue(bytes)));
    }

    [Theory]
    [InlineData(DkimCanonicalization.Relaxed)]
    [InlineData(DkimCanonicalization.Simple)]
    public void Header_digest_with_removal_equals_the_digest_of_the_field_without_b(DkimCanonicalization canonicalization)
    {
        var message = Encoding.ASCII.GetBytes(
            "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel;\r\n\th=from:to:subject:from; bh=AAAA;\r\n\tb=abcd\r\n efgh==\r\n"
            + "From: a@example.com\r\nTo:  b@example.net \r\nSubject: Hi\r\n\tthere\r\nFrom: second@example.com\r\n\r\nbody\r\n");
        var wire = WireMessage.Parse(message);
        var field = wire.FieldBytes(wire.Fields[0]);
        string[] names = ["from", "to", "subject", "from", "from"];
        var removed = SignatureValueRemoval.WithoutSignatureValue(field);
        var expected = new List<byte>();
        expected.AddRange(DkimCanonicalizer.CanonicalizeHeader(wire.FieldBytes(wire.Fields[4]), canonicalization));
        expected.AddRange(DkimCanonicalizer.CanonicalizeHeader(wire.FieldBytes(wire.Fields[2]), canonicalization));
        expected.AddRange(DkimCanonicalizer.CanonicalizeHeader(wire.FieldBytes(wire.Fields[3]), canonicalization));
        expected.AddRange(DkimCanonicalizer.CanonicalizeHeader(wire.FieldBytes(wire.Fields[1]), canonicalization));
        expected.AddRange(DkimCanonicalizer.CanonicalizeHeader(removed, canonicalization));
        Assert.Equal(SHA256.HashData(expected.ToArray()), HeaderSelection.HeaderDigest(wire, names, canonicalization, field, removeSignatureValue: true));
        Assert.Equal(SHA256.HashData(expected.ToArray()), HeaderSelection.HeaderDigest(wire, names, canonicalization, removed));
    }

    [Fact]
    public void Sha256_agrees_with_the_platform_for_every_length_and_split()
    {
        var random = new Random(6234);
        var data = new byte[3000];
        random.NextBytes(data);
        using var sha = new Sha256();
        for (var length = 0; length < data.Length; length += length < 200 ? 1 : 97)
        {
            var expected = SHA256.HashData(data.AsSpan(0, length));
            Assert.Equal(expected, Sha256.Hash(data.AsSpan(0, length)));
            var split = random.Next(0, length + 1);
            sha.Append(data.AsSpan(0, split));
            sha.Append(data.AsSpan(split, length - split));
            Assert.Equal(expected, sha.Finish());
        }
        sha.Append(data);
        sha.Reset();
        Assert.Equal(SHA256.HashData(ReadOnlySpan<byte>.Empty), sha.Finish());
        Assert.True(Sha256.IsNative || OperatingSystem.IsWindows(), "libcrypto's SHA-256 should load wherever .NET's cryptography uses OpenSSL");
    }
}
