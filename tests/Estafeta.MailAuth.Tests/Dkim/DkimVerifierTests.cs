using System.Text;
using Estafeta.MailAuth.Dkim;
using Xunit.Abstractions;

namespace Estafeta.MailAuth.Tests.Dkim;

public sealed class DkimVerifierTests(ITestOutputHelper output)
{
    private const string Domain = TestKeys.Domain;

    [Fact]
    public async Task A_message_without_signatures_is_none()
    {
        var results = await TestKeys.Verifier(TestKeys.PublishedDns()).VerifyAsync(TestMessages.Plain());
        Assert.Equal(DkimStatus.None, Assert.Single(results).Status);
        Assert.Equal("dkim=none (message not signed)", results[0].ToAuthenticationResults());
    }

    [Fact]
    public async Task Tampered_body_fails_with_body_hash_mismatch()
    {
        var signed = TestKeys.DualSigner().SignAndPrepend(TestMessages.EncodedUtf8Subject());
        var tampered = TestMessages.Replace(signed, "20 %", "90 %");
        var results = await Verify(tampered);
        Assert.All(results, r => Assert.Equal((DkimStatus.Fail, "body hash did not verify"), (r.Status, r.Reason)));
    }

    [Fact]
    public async Task Tampered_header_fails_with_signature_mismatch()
    {
        var signed = TestKeys.DualSigner().SignAndPrepend(TestMessages.Plain());
        var tampered = TestMessages.Replace(signed, "Subject: Hello", "Subject: Hello!");
        var results = await Verify(tampered);
        Assert.All(results, r => Assert.Equal((DkimStatus.Fail, "signature did not verify"), (r.Status, r.Reason)));
    }

    /// <summary>A message read from a file often ends its lines in a bare LF, in the body only or everywhere: it is
    /// verified as its CRLF wire form, the one signed; with two signatures the body is converted once.</summary>
    [Fact]
    public async Task Bare_lf_line_ends_in_the_body_or_everywhere_verify_as_crlf()
    {
        var signed = Encoding.Latin1.GetString(TestKeys.DualSigner().SignAndPrepend(TestMessages.EncodedUtf8Subject()));
        var split = signed.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        var bodyOnly = signed[..split] + signed[split..].Replace("\r\n", "\n", StringComparison.Ordinal);
        var everywhere = signed.Replace("\r\n", "\n", StringComparison.Ordinal);
        foreach (var text in (string[])[bodyOnly, everywhere])
        {
            var results = await Verify(Encoding.Latin1.GetBytes(text));
            Assert.Equal(2, results.Count);
            Assert.All(results, r => Assert.Equal((DkimStatus.Pass, "signature verified"), (r.Status, r.Reason)));
        }
        var tampered = await Verify(Encoding.Latin1.GetBytes(bodyOnly.Replace("20 %", "90 %", StringComparison.Ordinal)));
        Assert.All(tampered, r => Assert.Equal((DkimStatus.Fail, "body hash did not verify"), (r.Status, r.Reason)));
    }

    [Fact]
    public async Task Refolding_signed_headers_does_not_break_relaxed_signatures()
    {
        var signed = TestKeys.DualSigner().SignAndPrepend(TestMessages.Plain());
        var refolded = TestMessages.Replace(signed, "Subject: Hello", "Subject:\r\n\t  Hello  ");
        Assert.All(await Verify(refolded), r => Assert.Equal(DkimStatus.Pass, r.Status));
    }

    [Fact]
    public async Task Missing_key_is_permerror()
    {
        var signed = TestKeys.DualSigner().SignAndPrepend(TestMessages.Plain());
        var results = await TestKeys.Verifier(new InMemoryDns()).VerifyAsync(signed);
        output.WriteLine(results[0].ToAuthenticationResults());
        Assert.All(results, r => Assert.Equal(DkimStatus.PermError, r.Status));
        Assert.Contains("no key", results[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dns_timeout_is_temperror()
    {
        var dns = TestKeys.PublishedDns();
        dns.TimingOut.Add(DkimDnsRecord.Name(TestKeys.RsaSelector, Domain));
        var results = await TestKeys.Verifier(dns).VerifyAsync(TestKeys.DualSigner().SignAndPrepend(TestMessages.Plain()));
        Assert.Equal([DkimStatus.Pass, DkimStatus.TempError], results.Select(r => r.Status));
    }

    [Fact]
    public async Task Revoked_key_is_permerror()
    {
        var dns = new InMemoryDns().Add(DkimDnsRecord.Name(TestKeys.RsaSelector, Domain), "v=DKIM1; k=rsa; p=");
        var result = (await TestKeys.Verifier(dns).VerifyAsync(RsaSigned(TestMessages.Plain()))).Single();
        output.WriteLine(result.ToAuthenticationResults());
        Assert.Equal(DkimStatus.PermError, result.Status);
        Assert.Contains("revoked", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Expired_signature_is_policy_and_future_timestamp_is_policy()
    {
        var signed = new DkimSigner(TestKeys.RsaSigning, new DkimSignerOptions { Expiration = TimeSpan.FromHours(1) }, FixedClock.AtUnix(1_700_000_000))
            .SignAndPrepend(TestMessages.Plain());
        var expired = (await TestKeys.Verifier(TestKeys.PublishedDns(), 1_700_003_601).VerifyAsync(signed)).Single();
        var early = (await TestKeys.Verifier(TestKeys.PublishedDns(), 1_700_000_000 - 2 * 86_400).VerifyAsync(signed)).Single();
        output.WriteLine(expired.ToAuthenticationResults());
        output.WriteLine(early.ToAuthenticationResults());
        Assert.Equal(DkimStatus.Policy, expired.Status);
        Assert.Contains("expired", expired.Reason, StringComparison.Ordinal);
        Assert.Equal(DkimStatus.Policy, early.Status);
        Assert.Contains("future", early.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rsa_sha1_signature_is_not_accepted_and_no_key_is_fetched()
    {
        var message = Crafted(TestMessages.Plain(), TestKeys.Rsa, TestKeys.RsaSelector, algorithm: "rsa-sha1");
        var dns = TestKeys.PublishedDns();
        var result = (await TestKeys.Verifier(dns).VerifyAsync(message)).Single();
        output.WriteLine(result.ToAuthenticationResults());
        Assert.Equal(DkimStatus.Policy, result.Status);
        Assert.Contains("rsa-sha1", result.Reason, StringComparison.Ordinal);
        Assert.Contains("RFC 8301", result.Reason, StringComparison.Ordinal);
        Assert.Equal(0, dns.TxtQueries);
    }

    [Fact]
    public async Task Rsa_key_shorter_than_1024_bits_is_not_accepted()
    {
        using var weak = TestKeys.Weak(512);
        var dns = new InMemoryDns().Add(DkimDnsRecord.Name("weak", Domain), weak.DnsTxtValue);
        var result = (await TestKeys.Verifier(dns).VerifyAsync(Crafted(TestMessages.Plain(), weak, "weak"))).Single();
        output.WriteLine(result.ToAuthenticationResults());
        Assert.Equal(DkimStatus.Policy, result.Status);
        Assert.Contains("512 bits", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Body_length_limit_passes_with_appended_text_and_says_how_much_is_unsigned()
    {
        var original = TestMessages.Plain();
        var bodyLength = DkimCanonicalizer.CanonicalizeBody(WireMessage.Parse(original).Body, DkimCanonicalization.Relaxed).Length;
        var signed = Crafted(original, TestKeys.Rsa, TestKeys.RsaSelector, bodyLength: bodyLength);
        var appended = TestMessages.Replace(signed, "fell.\t \r\n", "fell.\t \r\nAlso: buy at https://evil.example/\r\n");

        var intact = (await Verify(signed)).Single();
        var extended = (await Verify(appended)).Single();
        output.WriteLine(extended.ToAuthenticationResults());
        Assert.Equal(DkimStatus.Pass, intact.Status);
        Assert.Equal(DkimStatus.Pass, extended.Status);
        Assert.Equal(bodyLength, extended.BodyLength);
        Assert.Contains("unsigned", extended.Reason, StringComparison.Ordinal);

        var tooLong = Crafted(original, TestKeys.Rsa, TestKeys.RsaSelector, bodyLength: bodyLength + 10);
        var failed = (await Verify(tooLong)).Single();
        Assert.Equal(DkimStatus.Fail, failed.Status);
        Assert.Contains("longer than", failed.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Testing_mode_key_reports_a_failure_as_neutral_and_a_pass_as_pass()
    {
        var dns = new InMemoryDns().Add(DkimDnsRecord.Name(TestKeys.RsaSelector, Domain), TestKeys.Rsa.DnsTxtValue + "; t=y");
        var signed = RsaSigned(TestMessages.Plain());
        var good = (await TestKeys.Verifier(dns).VerifyAsync(signed)).Single();
        var bad = (await TestKeys.Verifier(dns).VerifyAsync(TestMessages.Replace(signed, "prices", "costs"))).Single();
        output.WriteLine(bad.ToAuthenticationResults());
        Assert.Equal((DkimStatus.Pass, true), (good.Status, good.KeyTesting));
        Assert.Equal((DkimStatus.Neutral, true), (bad.Status, bad.KeyTesting));
    }

    [Fact]
    public async Task Strict_key_rejects_an_identity_in_a_subdomain()
    {
        var dns = new InMemoryDns().Add(DkimDnsRecord.Name(TestKeys.RsaSelector, Domain), TestKeys.Rsa.DnsTxtValue + "; t=s");
        var sub = new DkimSigner(TestKeys.RsaSigning with { Identity = "@mail." + Domain }, clock: FixedClock.AtUnix(1_700_000_000));
        var exact = new DkimSigner(TestKeys.RsaSigning with { Identity = "bounce@" + Domain }, clock: FixedClock.AtUnix(1_700_000_000));
        var rejected = (await TestKeys.Verifier(dns).VerifyAsync(sub.SignAndPrepend(TestMessages.Plain()))).Single();
        var accepted = (await TestKeys.Verifier(dns).VerifyAsync(exact.SignAndPrepend(TestMessages.Plain()))).Single();
        Assert.Equal(DkimStatus.PermError, rejected.Status);
        Assert.Contains("t=s", rejected.Reason, StringComparison.Ordinal);
        Assert.Equal(DkimStatus.Pass, accepted.Status);
    }

    public static TheoryData<string, string> UnusableKeys => new()
    {
        { "v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "k=ed25519" },
        { "v=DKIM1; k=rsa; h=sha1; p={p}", "sha256" },
        { "v=DKIM1; k=rsa; s=tlsrpt; p={p}", "not for email" },
        { "v=DKIM1; k=rsa; p=AAAA", "not an RSA public key" },
        { "v=DKIM1; k=rsa; p=!!!", "not valid base64" },
        { "k=rsa; v=DKIM1; p={p}", "v=DKIM1" },
        { "v=DKIM2; k=rsa; p={p}", "v=DKIM2" },
        { "v=DKIM1; k=rsa", "no p=" },
        { "v=DKIM1; k=dsa; p={p}", "k=dsa" },
    };

    [Theory]
    [MemberData(nameof(UnusableKeys))]
    public async Task Unusable_key_records_are_permerror(string record, string reasonPart)
    {
        var dns = new InMemoryDns().Add(DkimDnsRecord.Name(TestKeys.RsaSelector, Domain), record.Replace("{p}", TestKeys.Rsa.PublicKeyBase64, StringComparison.Ordinal));
        var result = (await TestKeys.Verifier(dns).VerifyAsync(RsaSigned(TestMessages.Plain()))).Single();
        output.WriteLine(result.ToAuthenticationResults());
        Assert.Equal(DkimStatus.PermError, result.Status);
        Assert.Contains(reasonPart, result.Reason, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, string> MalformedSignatures => new()
    {
        { "v=1; ", "v=2; ", "unsupported version" },
        { "a=rsa-sha256; ", "a=rsa-md5; ", "unsupported algorithm" },
        { "h=from:to:subject; ", "h=to:subject; ", "does not include From" },
        { "d=news.example.com; ", "d=news.example.com; i=@other.example; ", "i= domain" },
        { "c=relaxed/relaxed; ", "c=relaxed/fancy; ", "canonicalization" },
        { "v=1; ", "v=1; q=http; ", "query method" },
        { "v=1; ", "v=1; v=1; ", "duplicate tag" },
        { "v=1; ", "v=1; x=5; ", "earlier than t=" },
        { "v=1; ", "v=1; l=-3; ", "l=" },
    };

    [Theory]
    [MemberData(nameof(MalformedSignatures))]
    public async Task Malformed_signatures_are_permerror_with_the_reason(string find, string replace, string reasonPart)
    {
        var signed = Crafted(TestMessages.Plain(), TestKeys.Rsa, TestKeys.RsaSelector);
        var broken = TestMessages.Replace(signed, find, replace);
        var result = (await Verify(broken)).Single();
        output.WriteLine(result.ToAuthenticationResults());
        Assert.Equal(DkimStatus.PermError, result.Status);
        Assert.Contains(reasonPart, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Missing_body_hash_is_permerror_and_still_reports_the_domain()
    {
        var signed = Crafted(TestMessages.Plain(), TestKeys.Rsa, TestKeys.RsaSelector);
        var text = Encoding.ASCII.GetString(signed);
        var start = text.IndexOf("bh=", StringComparison.Ordinal);
        var broken = Encoding.ASCII.GetBytes(text[..start] + text[(text.IndexOf(';', start) + 2)..]);
        var result = (await Verify(broken)).Single();
        Assert.Equal(DkimStatus.PermError, result.Status);
        Assert.Equal("malformed signature: bh= is missing", result.Reason);
        Assert.Equal(Domain, result.Domain);
    }

    [Fact]
    public async Task Signatures_beyond_the_limit_are_neutral_without_a_lookup()
    {
        var signed = TestKeys.DualSigner().SignAndPrepend(TestMessages.Plain());
        var dns = TestKeys.PublishedDns();
        var results = await TestKeys.Verifier(dns, options: new DkimVerifierOptions { MaxSignatures = 1 }).VerifyAsync(signed);
        Assert.Equal([DkimStatus.Pass, DkimStatus.Neutral], results.Select(r => r.Status));
        Assert.Equal(1, dns.TxtQueries);
    }

    [Fact]
    public async Task Signing_and_verifying_a_message_with_an_empty_body_and_no_separator_works()
    {
        var message = "From: a@news.example.com\r\nSubject: nothing\r\n"u8.ToArray();
        Assert.All(await Verify(TestKeys.DualSigner().SignAndPrepend(message)), r => Assert.Equal(DkimStatus.Pass, r.Status));
    }

    [Fact]
    public void Authentication_results_quote_header_b_when_it_has_special_characters()
    {
        var result = new DkimResult(DkimStatus.Fail, "body hash did not verify", "example.com", "sel", "joe@example.com", "rsa-sha256", "ab/+cdefgh");
        Assert.Equal("dkim=fail (body hash did not verify) header.d=example.com header.i=joe@example.com header.s=sel header.a=rsa-sha256 header.b=\"ab/+cdef\"",
            result.ToAuthenticationResults());
    }

    /// <summary>A malformed signature's d= with a bare CR in it was written into the result header as it was.</summary>
    [Fact]
    public async Task A_bare_cr_in_a_malformed_signature_stays_out_of_the_result_header()
    {
        var message = Encoding.Latin1.GetBytes("DKIM-Signature: v=1; a=rsa-sha256; d=exa\rmple.com; s=s; h=from; bh=AAAA; b=AAAA\r\n"
            + Encoding.Latin1.GetString(TestMessages.Plain()));
        var result = (await Verify(message)).Single();
        Assert.Equal(DkimStatus.PermError, result.Status);
        Assert.Equal("dkim=permerror (malformed signature: d=exa mple.com is not a domain name) header.d=\"exa mple.com\" header.s=s header.a=rsa-sha256 header.b=AAAA",
            result.ToAuthenticationResults());
    }

    private static Task<IReadOnlyList<DkimResult>> Verify(byte[] message) => TestKeys.Verifier(TestKeys.PublishedDns()).VerifyAsync(message);

    private static byte[] RsaSigned(byte[] message) =>
        new DkimSigner(TestKeys.RsaSigning, clock: FixedClock.AtUnix(1_700_000_000)).SignAndPrepend(message);

    /// <summary>A signature with a hand-written tag list (for tags the signer never writes).</summary>
    private static byte[] Crafted(byte[] message, DkimPrivateKey key, string selector, string algorithm = "rsa-sha256", long? bodyLength = null)
    {
        var bodyHash = Convert.ToBase64String(WireMessage.Parse(message).HashBody(DkimCanonicalization.Relaxed, bodyLength ?? long.MaxValue).Hash);
        var length = bodyLength is { } l ? $"l={l}; " : "";
        var template = $"DKIM-Signature: v=1; a={algorithm}; c=relaxed/relaxed; d={Domain}; s={selector}; t=1700000000; {length}h=from:to:subject; bh={bodyHash}; b=";
        return TestMessages.Prepend(DkimSigner.CompleteField(message, template, key) + "\r\n", message);
    }
}
