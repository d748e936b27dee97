using System.Text;
using Estafeta.MailAuth.Arc;
using Estafeta.MailAuth.Dkim;
using Estafeta.MailAuth.Dmarc;
using Estafeta.Testing;
using Xunit.Abstractions;

namespace Estafeta.MailAuth.Tests.Arc;

public sealed class ArcTests(ITestOutputHelper output) : IDisposable
{
    private const long Now = 1_735_689_600;

    private static readonly byte[] Original = Encoding.ASCII.GetBytes(
        "From: Alice <alice@example.com>\r\n"
        + "To: list@lists.example.org\r\n"
        + "Subject: Lunch on Friday\r\n"
        + "Date: Wed, 01 Jan 2025 00:00:00 +0000\r\n"
        + "Message-ID: <lunch@example.com>\r\n"
        + "MIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=us-ascii\r\n"
        + "\r\n"
        + "Shall we try the new place?\r\n");

    private readonly DkimRsaPrivateKey listKey = DkimPrivateKey.GenerateRsa();
    private readonly DkimRsaPrivateKey relayKey = DkimPrivateKey.GenerateRsa();
    private readonly DkimEd25519PrivateKey edKey = DkimPrivateKey.GenerateEd25519();
    private readonly ManualTimeProvider clock = new(DateTimeOffset.FromUnixTimeSeconds(Now));

    private Dictionary<string, string> Records => new(StringComparer.OrdinalIgnoreCase)
    {
        ["arc._domainkey.lists.example.org"] = listKey.DnsTxtValue,
        ["seal._domainkey.relay.example.net"] = relayKey.DnsTxtValue,
        ["ed._domainkey.relay.example.net"] = edKey.DnsTxtValue,
    };

    private InMemoryDnsResolver Dns()
    {
        var dns = new InMemoryDnsResolver();
        foreach (var (name, value) in Records) dns.Zone.AddTxt(name, DkimDnsRecord.SplitTxt(value).ToArray());
        return dns;
    }

    private ArcSealer ListSealer => new(new DkimSigningKey("lists.example.org", "arc", listKey), "lists.example.org", clock: clock);

    private ArcSealer RelaySealer => new(new DkimSigningKey("relay.example.net", "seal", relayKey), "relay.example.net", clock: clock);

    private static AuthenticationResult[] Results => [AuthenticationResult.Create("spf", "pass", null, ("smtp.mailfrom", "example.com"))];

    private async Task<byte[]> SealAsync(ArcSealer sealer, byte[] message)
    {
        var chain = await new ArcVerifier(Dns()).VerifyAsync(message);
        return sealer.SealAndPrepend(message, chain, Results);
    }

    [Fact]
    public async Task A_message_without_arc_fields_has_cv_none()
    {
        var result = await new ArcVerifier(Dns()).VerifyAsync(Original);
        Assert.Equal(ArcStatus.None, result.Status);
        Assert.Equal(0, result.Instances);
    }

    /// <summary>A message with none of the fields an AMS signs made an empty h= list throw ArgumentOutOfRangeException.</summary>
    [Fact]
    public async Task A_message_with_no_field_to_sign_is_refused_a_seal()
    {
        var message = "X-Note: only this\r\n\r\nbody\r\n"u8.ToArray();
        var chain = await new ArcVerifier(Dns()).VerifyAsync(message);
        Assert.Null(ListSealer.Seal(message, chain, Results, out var refusal));
        Assert.StartsWith("the message has none of the header fields an ARC-Message-Signature signs (", refusal, StringComparison.Ordinal);
        Assert.Equal(message, ListSealer.SealAndPrepend(message, chain, Results));
    }

    [Fact]
    public async Task A_sealed_message_verifies_with_cv_pass()
    {
        var sealedMessage = await SealAsync(ListSealer, Original);
        output.WriteLine(Encoding.ASCII.GetString(sealedMessage));
        var result = await new ArcVerifier(Dns()).VerifyAsync(sealedMessage);
        Assert.True(result.Status == ArcStatus.Pass, result.Reason);
        var set = Assert.Single(result.Sets);
        Assert.Equal(ArcStatus.None, set.ChainValidation);
        Assert.Equal("lists.example.org", set.AuthenticationResults!.AuthservId);
        Assert.Equal("none", Assert.Single(set.AuthenticationResults.ResultsFor("arc")).Result);
        Assert.Equal(1, result.OldestPass);
    }

    [Fact]
    public async Task An_ed25519_seal_verifies()
    {
        var sealer = new ArcSealer(new DkimSigningKey("relay.example.net", "ed", edKey), "relay.example.net", clock: clock);
        var result = await new ArcVerifier(Dns()).VerifyAsync(await SealAsync(sealer, Original));
        Assert.True(result.Status == ArcStatus.Pass, result.Reason);
    }

    [Theory]
    [InlineData("Lunch on Friday", "Lunch on Saturday")]
    [InlineData("Shall we try the new place?", "Shall we try the old place?")]
    [InlineData("alice@example.com", "mallory@example.com")]
    public async Task Tampering_after_sealing_fails_the_chain(string from, string to)
    {
        var sealedMessage = Encoding.ASCII.GetString(await SealAsync(ListSealer, Original));
        var tampered = Encoding.ASCII.GetBytes(sealedMessage.Replace(from, to, StringComparison.Ordinal));
        var result = await new ArcVerifier(Dns()).VerifyAsync(tampered);
        Assert.Equal(ArcStatus.Fail, result.Status);
        Assert.Contains("ARC-Message-Signature i=1", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Tampering_with_an_arc_authentication_results_field_breaks_the_seal()
    {
        var sealedMessage = Encoding.ASCII.GetString(await SealAsync(ListSealer, Original));
        var tampered = Encoding.ASCII.GetBytes(sealedMessage.Replace("spf=pass", "spf=fail", StringComparison.Ordinal));
        var result = await new ArcVerifier(Dns()).VerifyAsync(tampered);
        Assert.Equal(ArcStatus.Fail, result.Status);
        Assert.Contains("ARC-Seal i=1", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_chain_of_three_hops_verifies_and_each_seal_carries_cv_pass()
    {
        var once = await SealAsync(ListSealer, Original);
        var twice = await SealAsync(RelaySealer, Prepend("Received: by relay.example.net; Wed, 01 Jan 2025 00:01:00 +0000\r\n", once));
        var thrice = await SealAsync(ListSealer, Prepend("X-Loop: yes\r\n", twice));
        var result = await new ArcVerifier(Dns()).VerifyAsync(thrice);
        Assert.True(result.Status == ArcStatus.Pass, result.Reason);
        Assert.Equal([1, 2, 3], result.Sets.Select(s => s.Instance));
        Assert.Equal([ArcStatus.None, ArcStatus.Pass, ArcStatus.Pass], result.Sets.Select(s => s.ChainValidation));
        Assert.Equal(1, result.OldestPass);
        Assert.Equal("arc=pass (i=3 lists.example.org: 3 ARC sets verified) header.oldest-pass=1 smtp.remote-ip=192.0.2.7", result.ToAuthenticationResult("192.0.2.7").ToString());
    }

    [Fact]
    public async Task A_broken_chain_is_sealed_with_cv_fail_and_then_not_continued()
    {
        var once = Encoding.ASCII.GetString(await SealAsync(ListSealer, Original));
        var broken = Encoding.ASCII.GetBytes(once.Replace("new place", "bad place", StringComparison.Ordinal));
        var chain = await new ArcVerifier(Dns()).VerifyAsync(broken);
        Assert.Equal(ArcStatus.Fail, chain.Status);
        var seal = RelaySealer.Seal(broken, chain, Results, out var refusal);
        Assert.NotNull(seal);
        Assert.Null(refusal);
        Assert.Equal(ArcStatus.Fail, seal!.ChainValidation);
        Assert.Contains("cv=fail", seal.Seal, StringComparison.Ordinal);

        var failed = Prepend(seal.Fields, broken);
        var result = await new ArcVerifier(Dns()).VerifyAsync(failed);
        Assert.Equal(ArcStatus.Fail, result.Status);
        Assert.Contains("already broken", result.Reason, StringComparison.Ordinal);
        Assert.Null(ListSealer.Seal(failed, result, Results, out var second));
        Assert.Contains("cv=fail", second, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("i=1", "i=2", "ARC set 1 has no ARC-Seal")]
    [InlineData("cv=none", "cv=pass", "expected none")]
    public async Task Malformed_chains_fail_with_the_reason(string from, string to, string reason)
    {
        var sealedMessage = Encoding.ASCII.GetString(await SealAsync(ListSealer, Original));
        var sealStart = sealedMessage.IndexOf("ARC-Seal:", StringComparison.Ordinal);
        var sealEnd = sealedMessage.IndexOf("ARC-Message-Signature:", StringComparison.Ordinal);
        var seal = sealedMessage[sealStart..sealEnd];
        var changed = sealedMessage.Replace(seal, seal.Replace(from, to, StringComparison.Ordinal), StringComparison.Ordinal);
        var result = await new ArcVerifier(Dns()).VerifyAsync(Encoding.ASCII.GetBytes(changed));
        Assert.Equal(ArcStatus.Fail, result.Status);
        Assert.Contains(reason, result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_missing_key_fails_the_chain()
    {
        var sealedMessage = await SealAsync(ListSealer, Original);
        var result = await new ArcVerifier(new InMemoryDnsResolver()).VerifyAsync(sealedMessage);
        Assert.Equal(ArcStatus.Fail, result.Status);
        Assert.Contains("no key at arc._domainkey.lists.example.org", result.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_mime_message_is_sealed_in_place()
    {
        using var stream = new MemoryStream(Original);
        var message = await MimeKit.MimeMessage.LoadAsync(stream);
        var chain = await new ArcVerifier(Dns()).VerifyAsync(message);
        Assert.NotNull(ListSealer.Seal(message, chain, Results, out _));
        Assert.Equal(["ARC-Seal", "ARC-Message-Signature", "ARC-Authentication-Results"], message.Headers.Take(3).Select(h => h.Field));
        var result = await new ArcVerifier(Dns()).VerifyAsync(message);
        Assert.True(result.Status == ArcStatus.Pass, result.Reason);
    }

    [Fact]
    public async Task Dkimpy_verifies_a_chain_we_sealed()
    {
        var twice = await SealAsync(RelaySealer, await SealAsync(ListSealer, Original));
        var (cv, reason) = Dkimpy.ArcVerify(twice, Records);
        output.WriteLine($"dkimpy: cv={cv} ({reason})");
        Assert.Equal("pass", cv);
    }

    [Fact]
    public async Task We_verify_a_chain_dkimpy_sealed_and_continue_it_and_dkimpy_verifies_the_result()
    {
        var received = Prepend("Authentication-Results: lists.example.org; spf=pass smtp.mailfrom=example.com\r\n", Original);
        var first = Prepend(Dkimpy.ArcSeal(received, listKey.ExportPkcs1Pem(), "arc", "lists.example.org", "lists.example.org", Now), received);
        output.WriteLine(Encoding.ASCII.GetString(first));
        var ours = await new ArcVerifier(Dns()).VerifyAsync(first);
        Assert.True(ours.Status == ArcStatus.Pass, ours.Reason);

        var second = RelaySealer.SealAndPrepend(first, ours, Results);
        var (cv, reason) = Dkimpy.ArcVerify(second, Records);
        Assert.True(cv == "pass", $"dkimpy: cv={cv} ({reason})");

        var relayed = Prepend("Authentication-Results: lists.example.org; arc=pass; spf=pass smtp.mailfrom=relay.example.net\r\n", second);
        var third = Prepend(Dkimpy.ArcSeal(relayed, listKey.ExportPkcs1Pem(), "arc", "lists.example.org", "lists.example.org", Now), relayed);
        var final = await new ArcVerifier(Dns()).VerifyAsync(third);
        Assert.True(final.Status == ArcStatus.Pass, final.Reason);
        Assert.Equal(3, final.Instances);
        output.WriteLine($"dkimpy seal, our seal, dkimpy seal: {final}");
    }

    private static byte[] Prepend(string fields, byte[] message) => [.. Encoding.ASCII.GetBytes(fields), .. message];

    public void Dispose()
    {
        listKey.Dispose();
        relayKey.Dispose();
        edKey.Dispose();
    }
}
