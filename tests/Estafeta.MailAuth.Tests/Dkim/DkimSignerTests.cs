using System.Text;
using Estafeta.MailAuth.Dkim;
using MimeKit;
using Xunit.Abstractions;

namespace Estafeta.MailAuth.Tests.Dkim;

public sealed class DkimSignerTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Dual_signed_message_carries_an_ed25519_and_an_rsa_signature_that_both_verify()
    {
        var message = TestKeys.DualSigner().SignAndPrepend(TestMessages.EncodedUtf8Subject());
        output.WriteLine(Encoding.UTF8.GetString(message)[..1200]);

        var results = await TestKeys.Verifier(TestKeys.PublishedDns()).VerifyAsync(message);
        foreach (var result in results) output.WriteLine(result.ToAuthenticationResults());
        Assert.Equal(["ed25519-sha256", "rsa-sha256"], results.Select(r => r.Algorithm));
        Assert.All(results, r => Assert.Equal(DkimStatus.Pass, r.Status));
    }

    [Fact]
    public void Signature_fields_are_relaxed_by_default_folded_within_78_columns_and_end_in_crlf()
    {
        var fields = TestKeys.DualSigner().Sign(TestMessages.Bytes(TestMessages.Campaign()));
        output.WriteLine(fields);
        Assert.EndsWith("\r\n", fields, StringComparison.Ordinal);
        Assert.Equal(2, fields.Split("DKIM-Signature: ").Length - 1);
        Assert.All(fields.Split("\r\n"), line => Assert.True(line.Length <= 78, $"line of {line.Length}: {line}"));
        Assert.DoesNotContain('\n', fields.Replace("\r\n", "", StringComparison.Ordinal));
        Assert.Contains("c=relaxed/relaxed;", fields, StringComparison.Ordinal);
        Assert.Contains("t=1700000000;", fields, StringComparison.Ordinal);
        Assert.Contains("d=news.example.com;", fields, StringComparison.Ordinal);
    }

    [Fact]
    public void Present_headers_are_over_signed_and_absent_ones_are_signed_once_as_empty()
    {
        var fields = TestKeys.DualSigner().Sign(TestMessages.Bytes(TestMessages.Campaign()));
        var h = HList(fields);
        output.WriteLine(string.Join(':', h));
        foreach (var name in new[] { "from", "subject", "date", "to", "reply-to", "list-unsubscribe", "list-unsubscribe-post", "message-id", "mime-version", "content-type" })
            Assert.Equal(2, h.Count(n => n == name));
        foreach (var name in new[] { "cc", "in-reply-to", "references" })
            Assert.Equal(1, h.Count(n => n == name));
    }

    [Fact]
    public async Task Adding_a_second_from_or_a_cc_after_signing_breaks_both_signatures()
    {
        var dns = TestKeys.PublishedDns();
        var signed = TestKeys.DualSigner().SignAndPrepend(TestMessages.Plain());
        var extraFrom = TestMessages.Replace(signed, "To: Ana", "From: Mallory <m@evil.example>\r\nTo: Ana");
        var extraCc = TestMessages.Replace(signed, "To: Ana", "Cc: victim@example.org\r\nTo: Ana");
        var unsignedField = TestMessages.Replace(signed, "To: Ana", "X-Campaign: 42\r\nTo: Ana");

        Assert.All(await TestKeys.Verifier(dns).VerifyAsync(extraFrom), r => Assert.Equal(DkimStatus.Fail, r.Status));
        Assert.All(await TestKeys.Verifier(dns).VerifyAsync(extraCc), r => Assert.Equal(DkimStatus.Fail, r.Status));
        Assert.All(await TestKeys.Verifier(dns).VerifyAsync(unsignedField), r => Assert.Equal(DkimStatus.Pass, r.Status));
    }

    [Fact]
    public async Task Signing_a_mime_message_matches_signing_its_bytes_and_add_signatures_verifies()
    {
        var signer = TestKeys.DualSigner();
        var message = TestMessages.Campaign(7);
        Assert.Equal(signer.Sign(TestMessages.Bytes(message)), signer.Sign(message));

        signer.AddSignatures(message);
        Assert.Equal(2, message.Headers.Count(h => h.Id == HeaderId.DkimSignature));
        var results = await TestKeys.Verifier(TestKeys.PublishedDns()).VerifyAsync(message);
        Assert.All(results, r => Assert.Equal(DkimStatus.Pass, r.Status));

        var reparsed = MimeMessage.Load(new MemoryStream(TestMessages.Bytes(message)));
        Assert.All(await TestKeys.Verifier(TestKeys.PublishedDns()).VerifyAsync(reparsed), r => Assert.Equal(DkimStatus.Pass, r.Status));
    }

    [Fact]
    public async Task Signing_from_a_stream_gives_the_same_fields_as_signing_bytes()
    {
        var signer = TestKeys.DualSigner();
        var bytes = TestMessages.RawUtf8Subject();
        Assert.Equal(signer.Sign(bytes), await signer.SignAsync(new MemoryStream(bytes)));
    }

    [Fact]
    public void Signatures_are_deterministic_for_the_same_message_and_time()
    {
        var bytes = TestMessages.Plain();
        Assert.Equal(TestKeys.DualSigner().Sign(bytes), TestKeys.DualSigner().Sign(bytes));
        Assert.NotEqual(TestKeys.DualSigner(1_700_000_000).Sign(bytes), TestKeys.DualSigner(1_700_000_001).Sign(bytes));
    }

    [Fact]
    public async Task A_message_with_bare_lf_line_ends_is_signed_as_its_crlf_wire_form()
    {
        var crlf = TestMessages.Plain();
        var lf = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(crlf).Replace("\r\n", "\n", StringComparison.Ordinal));
        var fields = TestKeys.DualSigner().Sign(lf);
        Assert.Equal(TestKeys.DualSigner().Sign(crlf), fields);
        Assert.All(await TestKeys.Verifier(TestKeys.PublishedDns()).VerifyAsync(TestMessages.Prepend(fields, crlf)), r => Assert.Equal(DkimStatus.Pass, r.Status));
    }

    [Fact]
    public async Task Expiration_option_writes_x_and_the_signature_expires_after_it()
    {
        var signer = new DkimSigner(TestKeys.RsaSigning, new DkimSignerOptions { Expiration = TimeSpan.FromDays(7) }, FixedClock.AtUnix(1_700_000_000));
        var signed = signer.SignAndPrepend(TestMessages.Plain());
        Assert.Contains("x=1700604800;", Encoding.ASCII.GetString(signed), StringComparison.Ordinal);

        var before = await TestKeys.Verifier(TestKeys.PublishedDns(), 1_700_604_800).VerifyAsync(signed);
        var after = await TestKeys.Verifier(TestKeys.PublishedDns(), 1_700_604_801).VerifyAsync(signed);
        Assert.Equal(DkimStatus.Pass, before[0].Status);
        Assert.Equal(DkimStatus.Policy, after[0].Status);
    }

    [Fact]
    public async Task Simple_canonicalization_and_an_identity_can_be_chosen()
    {
        var key = TestKeys.RsaSigning with { Identity = "ofertas@news.example.com" };
        var options = new DkimSignerOptions { HeaderCanonicalization = DkimCanonicalization.Simple, BodyCanonicalization = DkimCanonicalization.Simple };
        var signed = new DkimSigner(key, options, FixedClock.AtUnix(1_700_000_000)).SignAndPrepend(TestMessages.RawUtf8Subject());
        var text = Encoding.UTF8.GetString(signed);
        Assert.Contains("c=simple/simple;", text, StringComparison.Ordinal);
        Assert.Contains("i=ofertas@news.example.com;", text, StringComparison.Ordinal);
        var result = (await TestKeys.Verifier(TestKeys.PublishedDns()).VerifyAsync(signed)).Single();
        Assert.Equal(DkimStatus.Pass, result.Status);
        Assert.Equal("ofertas@news.example.com", result.Identity);
    }

    [Fact]
    public void A_signer_refuses_a_header_list_without_from_a_malformed_domain_and_a_foreign_identity()
    {
        Assert.Throws<ArgumentException>(() => new DkimSigner(TestKeys.RsaSigning, new DkimSignerOptions { SignedHeaders = ["Subject"] }));
        Assert.Throws<ArgumentException>(() => new DkimSigner(TestKeys.RsaSigning with { Domain = "bad domain" }));
        Assert.Throws<ArgumentException>(() => new DkimSigner([]));
        Assert.Throws<ArgumentException>(() => new DkimSigner(TestKeys.RsaSigning with { Identity = "joe@example.org" }));
    }

    private static string[] HList(string fields)
    {
        var first = fields[..(fields.IndexOf("\r\nDKIM-Signature", StringComparison.Ordinal) is var i and > 0 ? i : fields.Length)];
        var unfolded = first.Replace("\r\n ", " ", StringComparison.Ordinal);
        var h = unfolded[(unfolded.IndexOf(" h=", StringComparison.Ordinal) + 3)..];
        return h[..h.IndexOf(';', StringComparison.Ordinal)].Split(':', StringSplitOptions.TrimEntries);
    }
}
