using System.Text;
using Estafeta.MailAuth.Dkim;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>The verifier's octet-level DKIM-Signature parser (<see cref="DkimSignature.ParseWellFormed"/>)
/// against the tag-list parser it stands in for: whatever it accepts, the tag list accepts with the same
/// values; what it leaves alone (every malformed signature among it) still gets the tag list's verdict and
/// reason through the verifier.</summary>
public sealed class WellFormedSignatureTests
{
    private const string Good =
        " v=1; a=rsa-sha256; c=relaxed/relaxed; d=news.example.com; s=sel2026;\r\n\tt=1700000000; x=1800000000;"
        + " h=from:to:subject:date:message-id:x-custom;\r\n bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;\r\n"
        + " b=dzdVyOfAKCdLXdJOc9G2q8LoXSlEniSbav+yuU4zGeeruD00lszZVoG4ZHRNiYzR\r\n\tAbCd+/12\r\n";

    [Theory]
    [InlineData(Good)]
    [InlineData(" v = 1 ;a=rsa-sha256;d=news.example.com;s=sel2026;h=From;bh=AAAA;b=AAAA;")]
    [InlineData("v=1; a=ed25519-sha256; c=simple; d=news.example.com; s=s; h= from :\r\n to ; bh=AA\r\n AA; b=A A A A; z=any|thing; n=note")]
    [InlineData("v=1; a=rsa-sha256; d=news.example.com; s=s; h=from; bh=AAAA; b=AAAA; i=joe@sub.news.example.com; q=dns/txt; l=0; c=simple/relaxed")]
    [InlineData("v=1; a=rsa-sha1; d=news.example.com; s=s; h=from; bh=AAAA; b=AAAA; B=upper-case-is-another-tag")]
    public void Signatures_as_signers_write_them_are_read_from_the_octets_with_the_values_of_the_tag_list(string value)
    {
        var fast = DkimSignature.ParseWellFormed(Encoding.Latin1.GetBytes(value));
        Assert.NotNull(fast);
        AssertSameAsTagList(value, fast);
    }

    [Theory]
    [InlineData("v=1; a=RSA-SHA256; d=news.example.com; s=s; h=from; bh=AAAA; b=AAAA")]
    [InlineData("v=1; a=rsa-sha256; c=Relaxed/Simple; d=news.example.com; s=s; h=from; bh=AAAA; b=AAAA")]
    [InlineData("v=1; a=rsa-sha256; d=news.example.com; s=s; h=from; bh=AAAA; b=AAAA; q=dns/txt:other")]
    [InlineData("v=1; a=rsa-sha256; d=news.example.com; s=s; h=from; bh=AAAA; b=AAAA; l=123456789012345678901234")]
    public void Valid_but_unusual_forms_are_left_to_the_tag_list(string value)
    {
        Assert.Null(DkimSignature.ParseWellFormed(Encoding.Latin1.GetBytes(value)));
        Assert.True(DkimTagList.TryParse(value, out var tags, out var error), error);
        Assert.True(DkimSignature.TryParse(tags, out _, out error), error);
    }

    [Theory]
    [InlineData("v=1; a", "malformed tag \"a\"")]
    [InlineData("v=1; 1a=x; a=rsa-sha256", "malformed tag name \"1a\"")]
    [InlineData("v=1; a-b=x", "malformed tag name \"a-b\"")]
    [InlineData("v=1; =x", "malformed tag name \"\"")]
    [InlineData("v=1; a=rsa-sha256; d=news.example.com; d=news.example.com; s=s; h=from; bh=AAAA; b=AAAA", "duplicate tag d=")]
    [InlineData("v=1; a=rsa-sha256; d=news.example.com; s=s; h=from; bh=AAAA; b=AAAA; z=1; z=2", "duplicate tag z=")]
    [InlineData("v=1; a=rsa-sha256; d=news.example.com; s=s; h=from; b=AAAA", "bh= is missing")]
    [InlineData("v=1; a=rsa-sha256; d=news.example.com; s=s; h=from; bh=AAAA; b=AA$A", "b= is not valid base64")]
    [InlineData("v=1; a=rsa-sha256; d=news.example.com; s=s; h=from; bh=AAA; b=AAAA", "bh= is not valid base64")]
    [InlineData("v=1; a=rsa-sha256; d=news.example.com; s=s; h=from:\r\n :to; bh=AAAA; b=AAAA", "h= contains an empty header name")]
    [InlineData("v=1; a=rsa-sha256; d=news.example.com; s=s; h=to:subject; bh=AAAA; b=AAAA", "h= does not include From")]
    [InlineData("v=1; a=rsa-sha256; d=news..example.com; s=s; h=from; bh=AAAA; b=AAAA", "d=news..example.com is not a domain name")]
    [InlineData("v=1; a=rsa-sha256; d=news.example.com; s=s; h=from; bh=AAAA; b=AAAA; i=joe", "i=joe has no @")]
    [InlineData("v=1; a=rsa-sha256; d=news.example.com; s=s; h=from; bh=AAAA; b=AAAA; i=@xnews.example.com", "i= domain xnews.example.com is not d=news.example.com or a subdomain of it")]
    [InlineData("v=1; a=rsa-sha256; d=news.example.com; s=s; h=from; bh=AAAA; b=AAAA; t=12a", "t=12a is not a number")]
    [InlineData("v=1; a=rsa-sha256; d=news.example.com; s=s; h=from; bh=AAAA; b=AAAA; t=20; x=10", "x=10 is earlier than t=20")]
    [InlineData("v=2; a=rsa-sha256; d=news.example.com; s=s; h=from; bh=AAAA; b=AAAA", "unsupported version v=2")]
    public async Task Malformed_signatures_are_refused_with_the_reason_the_tag_list_gives(string value, string reason)
    {
        Assert.Null(DkimSignature.ParseWellFormed(Encoding.Latin1.GetBytes(value)));
        var message = Encoding.Latin1.GetBytes("DKIM-Signature:" + value + "\r\nFrom: a@news.example.com\r\nTo: b@example.org\r\n\r\nHello\r\n");
        var result = Assert.Single(await TestKeys.Verifier(TestKeys.PublishedDns()).VerifyAsync(message));
        Assert.Equal(DkimStatus.PermError, result.Status);
        Assert.Equal("malformed signature: " + reason, result.Reason);
    }

    [Fact]
    public void Random_edits_of_a_signature_never_make_the_octet_parser_disagree_with_the_tag_list()
    {
        var random = new Random(6376);
        string[] inserts = [" ", "\t", "\r\n ", ";", "=", ":", "a=rsa-sha256;", "v=1;", "b=", "bh=AAAA;", "z=9;", "B=x;", "h=from;", "i=@news.example.com;",
            "q=dns/txt;", "l=12;", "t=5;", "x=4;", "1", "$", "é", "c=simple;", "d=example.com;"];
        var accepted = 0;
        for (var round = 0; round < 20_000; round++)
        {
            var value = new StringBuilder(Good);
            for (var edits = random.Next(1, 4); edits > 0; edits--)
            {
                var at = random.Next(value.Length + 1);
                switch (random.Next(3))
                {
                    case 0: value.Insert(at, inserts[random.Next(inserts.Length)]); break;
                    case 1 when at < value.Length: value.Remove(at, Math.Min(random.Next(1, 4), value.Length - at)); break;
                    default:
                        // Tags moved about: the order must not matter.
                        var tags = value.ToString().Split(';');
                        random.Shuffle(tags);
                        value.Clear().AppendJoin(';', tags);
                        break;
                }
            }
            var text = value.ToString();
            var fast = DkimSignature.ParseWellFormed(Encoding.Latin1.GetBytes(text));
            if (fast is null) continue;
            accepted++;
            AssertSameAsTagList(text, fast);
        }
        // Most edits (moved tags, added whitespace, tags of no meaning) leave a signature in the common shape.
        Assert.InRange(accepted, 2_000, 20_000);
    }

    [Fact]
    public void Header_lists_read_before_are_reused_only_for_the_same_octets()
    {
        // More distinct h= values than the parser remembers, each read three times in turn: every read gives the
        // names of its own h=, also when a remembered list differs only in case, order or one name.
        string[] lists = ["from:to", "From:To", "to:from", "from:to:subject", "from:to:subjecT", "from : to", "from:from:to:to",
            "from:cc", "from:reply-to", "from:date", "from:x-a", "from:x-b"];
        for (var round = 0; round < 3; round++)
            foreach (var list in lists)
            {
                var value = $"v=1; a=rsa-sha256; d=news.example.com; s=s; h={list}; bh=AAAA; b=AAAA";
                var signature = DkimSignature.ParseWellFormed(Encoding.Latin1.GetBytes(value));
                Assert.NotNull(signature);
                Assert.Equal(list.Split(':').Select(name => name.Trim()), signature.SignedHeaders);
                // The names may be shared with the signatures of other messages: what is handed out cannot change them.
                Assert.Throws<NotSupportedException>(() => ((IList<string>)signature.SignedHeaders)[0] = "to");
            }
    }

    [Fact]
    public async Task A_signature_read_from_the_octets_verifies_and_reports_its_tags()
    {
        var signed = TestKeys.DualSigner().SignAndPrepend(TestMessages.Plain());
        var text = Encoding.ASCII.GetString(signed);
        var value = text[(text.IndexOf(':', StringComparison.Ordinal) + 1)..text.IndexOf("\r\nDKIM-Signature:", StringComparison.Ordinal)];
        var signature = DkimSignature.ParseWellFormed(Encoding.ASCII.GetBytes(value));
        Assert.NotNull(signature);
        Assert.False(signature.HasIdentityTag);
        Assert.Equal("@" + TestKeys.Domain, signature.Identity);
        Assert.Contains("bh", signature.Tags.Order);
        var results = await TestKeys.Verifier(TestKeys.PublishedDns()).VerifyAsync(signed);
        Assert.All(results, r => Assert.Equal((DkimStatus.Pass, "signature verified"), (r.Status, r.Reason)));
        Assert.All(results, r => Assert.Null(r.Identity));
    }

    private static void AssertSameAsTagList(string value, DkimSignature fast)
    {
        Assert.True(DkimTagList.TryParse(value, out var tags, out var error), $"{error} in \"{value}\"");
        Assert.True(DkimSignature.TryParse(tags, out var slow, out error), $"{error} in \"{value}\"");
        AssertSame(slow!, fast, tags);
    }

    /// <summary>The octet parser's signature is the tag list's, field by field (also the fuzz tests').</summary>
    internal static void AssertSame(DkimSignature slow, DkimSignature fast, DkimTagList tags)
    {
        Assert.Equal(slow.Algorithm, fast.Algorithm);
        Assert.Equal(slow.AlgorithmName, fast.AlgorithmName);
        Assert.Equal(slow.SignatureData, fast.SignatureData);
        Assert.Equal(slow.SignatureBase64, fast.SignatureBase64);
        Assert.Equal(slow.SignaturePrefix, fast.SignaturePrefix);
        Assert.Equal(slow.BodyHash, fast.BodyHash);
        Assert.Equal(slow.HeaderCanonicalization, fast.HeaderCanonicalization);
        Assert.Equal(slow.BodyCanonicalization, fast.BodyCanonicalization);
        Assert.Equal(slow.Domain, fast.Domain);
        Assert.Equal(slow.Selector, fast.Selector);
        Assert.Equal(slow.SignedHeaders, fast.SignedHeaders);
        Assert.Equal(slow.Identity, fast.Identity);
        Assert.Equal(slow.HasIdentityTag, fast.HasIdentityTag);
        Assert.Equal(slow.BodyLength, fast.BodyLength);
        Assert.Equal(slow.Timestamp, fast.Timestamp);
        Assert.Equal(slow.Expiration, fast.Expiration);
        Assert.Equal(slow.KeyName, fast.KeyName);
        Assert.Equal(tags.Order, fast.Tags.Order);
        foreach (var name in tags.Order) Assert.Equal(tags[name], fast.Tags[name]);
    }
}
