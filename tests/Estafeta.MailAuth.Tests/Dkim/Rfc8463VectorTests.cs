using System.Text;
using Estafeta.MailAuth.Dkim;
using Xunit.Abstractions;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>RFC 8463 Appendix A: the Ed25519 and RSA example keys, records and messages.</summary>
public sealed class Rfc8463VectorTests(ITestOutputHelper output)
{
    private static InMemoryDns Dns()
    {
        var dns = new InMemoryDns();
        foreach (var line in DkimTestSuites.ReadText("rfc/rfc8463-dns.txt").Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var name = line[..line.IndexOf(' ', StringComparison.Ordinal)];
            var quoted = line[line.IndexOf('"', StringComparison.Ordinal)..];
            dns.Add(name, string.Concat(quoted.Split('"').Where((_, i) => i % 2 == 1)));
        }
        return dns;
    }

    private static DkimPrivateKey Ed25519Key() =>
        DkimPrivateKey.FromEd25519Seed(Convert.FromBase64String(DkimTestSuites.ReadText("rfc/rfc8463-ed25519-seed.b64").Trim()));

    private static DkimPrivateKey RsaKey() => DkimPrivateKey.ImportPem(DkimTestSuites.ReadText("rfc/rfc8463-rsa-private.pem"));

    [Fact]
    public async Task Both_signatures_of_the_rfc8463_example_verify()
    {
        var message = DkimTestSuites.ReadCrlf("rfc/rfc8463-signed.msg");
        var results = await new DkimVerifier(Dns(), FixedClock.AtUnix(1_528_000_000)).VerifyAsync(message);

        foreach (var result in results) output.WriteLine(result.ToAuthenticationResults());
        output.WriteLine($"{results.Count(r => r.Status == DkimStatus.Pass)} of {results.Count} signatures passed");
        Assert.Equal(2, results.Count);
        Assert.All(results, r => Assert.Equal(DkimStatus.Pass, r.Status));
        Assert.Equal(["ed25519-sha256", "rsa-sha256"], results.Select(r => r.Algorithm));
    }

    [Fact]
    public void The_published_keys_match_the_published_dns_records()
    {
        var dns = DkimTestSuites.ReadText("rfc/rfc8463-dns.txt");
        using var ed = Ed25519Key();
        using var rsa = RsaKey();
        Assert.Contains("p=" + ed.PublicKeyBase64 + "\"", dns, StringComparison.Ordinal);
        Assert.Contains("p=" + rsa.PublicKeyBase64 + "\"", dns, StringComparison.Ordinal);
    }

    [Fact]
    public void Re_signing_the_unsigned_example_reproduces_both_published_b_values()
    {
        var signed = DkimTestSuites.ReadCrlf("rfc/rfc8463-signed.msg");
        var unsigned = DkimTestSuites.ReadCrlf("rfc/rfc8463-unsigned.msg");
        var wire = WireMessage.Parse(signed);
        var signatures = wire.Headers.Where(h => h.Name == "DKIM-Signature").ToList();
        Assert.Equal(2, signatures.Count);

        var keys = new[] { Ed25519Key(), RsaKey() };
        for (var i = 0; i < signatures.Count; i++)
        {
            var field = Encoding.ASCII.GetString(wire.FieldBytes(signatures[i]));
            var template = Encoding.ASCII.GetString(SignatureValueRemoval.WithoutSignatureValue(wire.FieldBytes(signatures[i])));
            Assert.EndsWith("b=", template, StringComparison.Ordinal);
            var published = BValue(field);
            var ours = BValue(DkimSigner.CompleteField(unsigned, template, keys[i]));
            output.WriteLine($"{keys[i].Algorithm}: published {published[..16]}..., ours {ours[..16]}...");
            Assert.Equal(published, ours);
        }
        foreach (var key in keys) key.Dispose();
    }

    [Fact]
    public async Task The_unsigned_example_signed_here_with_the_published_keys_verifies()
    {
        var unsigned = DkimTestSuites.ReadCrlf("rfc/rfc8463-unsigned.msg");
        using var ed = Ed25519Key();
        using var rsa = RsaKey();
        var signer = new DkimSigner(
            [new DkimSigningKey("football.example.com", "brisbane", ed), new DkimSigningKey("football.example.com", "test", rsa)],
            new DkimSignerOptions { HeaderCanonicalization = DkimCanonicalization.Simple, BodyCanonicalization = DkimCanonicalization.Simple },
            FixedClock.AtUnix(1_528_637_909));
        var message = signer.SignAndPrepend(unsigned);
        output.WriteLine(Encoding.ASCII.GetString(message));

        var results = await new DkimVerifier(Dns(), FixedClock.AtUnix(1_528_637_999)).VerifyAsync(message);
        Assert.Equal([DkimStatus.Pass, DkimStatus.Pass], results.Select(r => r.Status));
        // bh= of simple/simple over this body is the one RFC 8463 publishes.
        Assert.Contains("bh=4bLNXImK9drULnmePzZNEBleUanJCX5PIsDIFoH4KTQ=;", Encoding.ASCII.GetString(message), StringComparison.Ordinal);
    }

    private static string BValue(string field)
    {
        var at = field.LastIndexOf("b=", StringComparison.Ordinal);
        return new string(field[(at + 2)..].Where(c => !char.IsWhiteSpace(c)).ToArray());
    }
}
