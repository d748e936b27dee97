using System.Text;
using Estafeta.MailAuth.Dkim;
using Xunit.Abstractions;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>Signatures made here verify in dkimpy and dkimpy's verify here, on UTF-8 messages
/// (RFC 2047 encoded and raw SMTPUTF8 headers, 8bit bodies).</summary>
public sealed class DkimpyInteropTests(ITestOutputHelper output)
{
    private static readonly (string Name, Func<byte[]> Message)[] Messages =
    [
        ("encoded UTF-8 subject", TestMessages.EncodedUtf8Subject),
        ("raw UTF-8 subject", TestMessages.RawUtf8Subject),
        ("22 KB campaign", () => TestMessages.Bytes(TestMessages.Campaign(3))),
    ];

    private static readonly DkimSignerOptions SimpleSimple =
        new() { HeaderCanonicalization = DkimCanonicalization.Simple, BodyCanonicalization = DkimCanonicalization.Simple };

    private static Dictionary<string, string> PublishedRecords() => new()
    {
        [DkimDnsRecord.Name(TestKeys.RsaSelector, TestKeys.Domain)] = TestKeys.Rsa.DnsTxtValue,
        [DkimDnsRecord.Name(TestKeys.Ed25519Selector, TestKeys.Domain)] = TestKeys.Ed25519.DnsTxtValue,
    };

    [Fact]
    public void Rsa_signature_made_here_verifies_in_dkimpy() => SignHereVerifyThere(TestKeys.RsaSigning);

    [Fact]
    public void Ed25519_signature_made_here_verifies_in_dkimpy() => SignHereVerifyThere(TestKeys.Ed25519Signing);

    [Fact]
    public void Dual_signed_message_made_here_verifies_in_dkimpy()
    {
        var passed = 0;
        foreach (var (name, message) in Messages)
        {
            var signed = new DkimSigner([TestKeys.Ed25519Signing, TestKeys.RsaSigning]).SignAndPrepend(message());
            var verdicts = Dkimpy.Verify(signed, PublishedRecords());
            output.WriteLine($"{name}: dkimpy says {string.Join(", ", verdicts)}");
            Assert.Equal(["pass", "pass"], verdicts);
            passed += verdicts.Length;
        }
        output.WriteLine($"{passed} signatures passed in dkimpy");
    }

    [Fact]
    public void Body_changed_after_signing_here_fails_in_dkimpy_too()
    {
        var signed = new DkimSigner(TestKeys.RsaSigning).SignAndPrepend(TestMessages.EncodedUtf8Subject());
        var tampered = TestMessages.Replace(signed, "20 %", "90 %");
        var verdicts = Dkimpy.Verify(tampered, PublishedRecords());
        output.WriteLine(string.Join(", ", verdicts));
        Assert.NotEqual("pass", Assert.Single(verdicts));
    }

    [Fact]
    public async Task Rsa_signature_made_by_dkimpy_verifies_here() =>
        await SignThereVerifyHere("rsa-sha256", TestKeys.RsaSelector, TestKeys.Rsa.ExportPkcs1Pem());

    [Fact]
    public async Task Ed25519_signature_made_by_dkimpy_verifies_here() =>
        await SignThereVerifyHere("ed25519-sha256", TestKeys.Ed25519Selector, Convert.ToBase64String(TestKeys.Ed25519.ExportSeed()));

    private void SignHereVerifyThere(DkimSigningKey key)
    {
        var passed = 0;
        foreach (var options in new[] { DkimSignerOptions.Default, SimpleSimple })
        {
            foreach (var (name, message) in Messages)
            {
                var signed = new DkimSigner(key, options).SignAndPrepend(message());
                var verdicts = Dkimpy.Verify(signed, PublishedRecords());
                output.WriteLine($"{key.Key.Algorithm} {options.HeaderCanonicalization}/{options.BodyCanonicalization}, {name}: dkimpy says {string.Join(", ", verdicts)}");
                Assert.Equal(["pass"], verdicts);
                passed++;
            }
        }
        output.WriteLine($"{passed} of {2 * Messages.Length} signatures made here passed in dkimpy");
    }

    private async Task SignThereVerifyHere(string algorithm, string selector, string key)
    {
        var dns = TestKeys.PublishedDns();
        var passed = 0;
        foreach (var canonicalization in new[] { "relaxed/relaxed", "relaxed/simple", "simple/simple" })
        {
            foreach (var (name, message) in Messages)
            {
                var bytes = message();
                var field = Dkimpy.Sign(bytes, algorithm, selector, TestKeys.Domain, key, canonicalization);
                Assert.StartsWith("DKIM-Signature:", field, StringComparison.Ordinal);
                var results = await new DkimVerifier(dns).VerifyAsync(TestMessages.Prepend(field, bytes));
                output.WriteLine($"dkimpy {algorithm} {canonicalization}, {name}: {results[0].ToAuthenticationResults()}");
                Assert.Equal(DkimStatus.Pass, Assert.Single(results).Status);
                passed++;
            }
        }
        output.WriteLine($"{passed} of {3 * Messages.Length} dkimpy {algorithm} signatures passed here");
    }
}
