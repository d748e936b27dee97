using Estafeta.MailAuth.Dkim;
using MimeKit;
using MimeKit.Cryptography;
using Org.BouncyCastle.Crypto;
using Xunit.Abstractions;
using DkimSigner = Estafeta.MailAuth.Dkim.DkimSigner;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>MimeKit's own DKIM verifier, a second independent implementation, accepts what we sign,
/// and our verifier accepts MimeKit's signatures, including those made through SystemRsaDigestSigner.</summary>
public sealed class MimeKitInteropTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Dual_signatures_made_here_verify_in_mimekit()
    {
        var verified = 0;
        foreach (var bytes in new[] { TestMessages.EncodedUtf8Subject(), TestMessages.RawUtf8Subject(), TestMessages.Bytes(TestMessages.Campaign(5)) })
        {
            var signed = new DkimSigner([TestKeys.Ed25519Signing, TestKeys.RsaSigning]).SignAndPrepend(bytes);
            var message = MimeMessage.Load(new MemoryStream(signed));
            var verifier = new MimeKit.Cryptography.DkimVerifier(new PublishedKeys());
            verifier.Enable(DkimSignatureAlgorithm.Ed25519Sha256);
            foreach (var field in message.Headers.Where(h => h.Id == HeaderId.DkimSignature))
            {
                Assert.True(await verifier.VerifyAsync(message, field), field.Value);
                verified++;
            }
        }
        output.WriteLine($"{verified} of 6 signatures made here verified in MimeKit");
        Assert.Equal(6, verified);
    }

    [Fact]
    public async Task Mimekit_signatures_with_the_platform_rsa_signer_match_the_default_and_verify_here()
    {
        var pkcs1 = System.Text.Encoding.ASCII.GetBytes(TestKeys.Rsa.ExportPkcs1Pem());
        var fast = new PlatformRsaMimeKitSigner(new MemoryStream(pkcs1), TestKeys.Rsa.Rsa, TestKeys.Domain, TestKeys.RsaSelector);
        var slow = new MimeKit.Cryptography.DkimSigner(new MemoryStream(pkcs1), TestKeys.Domain, TestKeys.RsaSelector);
        var headers = new[] { "From", "To", "Subject", "Date", "Message-ID" };

        // MimeKit stamps t= with the current second: sign both again until they fall in the same second.
        MimeMessage first, second;
        var attempts = 0;
        do
        {
            first = TestMessages.Campaign(9);
            second = TestMessages.Campaign(9);
            fast.Sign(first, headers);
            slow.Sign(second, headers);
        }
        while (Timestamp(first) != Timestamp(second) && ++attempts < 5);
        Assert.Equal(Signature(second), Signature(first));

        var results = await TestKeys.Verifier(TestKeys.PublishedDns(), DateTimeOffset.UtcNow.ToUnixTimeSeconds()).VerifyAsync(first);
        output.WriteLine(results[0].ToAuthenticationResults());
        Assert.Equal(DkimStatus.Pass, Assert.Single(results).Status);
    }

    private static string Timestamp(MimeMessage message)
    {
        var value = message.Headers[HeaderId.DkimSignature] ?? throw new InvalidOperationException("no DKIM-Signature");
        var t = value.IndexOf(" t=", StringComparison.Ordinal);
        return t < 0 ? "" : value[t..value.IndexOf(';', t)];
    }

    private static string Signature(MimeMessage message)
    {
        var value = message.Headers[HeaderId.DkimSignature] ?? throw new InvalidOperationException("no DKIM-Signature");
        return value[(value.LastIndexOf("b=", StringComparison.Ordinal) + 2)..];
    }

    private sealed class PublishedKeys : DkimPublicKeyLocatorBase
    {
        public override AsymmetricKeyParameter LocatePublicKey(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            GetPublicKey((selector == TestKeys.RsaSelector ? TestKeys.Rsa : (DkimPrivateKey)TestKeys.Ed25519).DnsTxtValue);

        public override Task<AsymmetricKeyParameter> LocatePublicKeyAsync(string methods, string domain, string selector, CancellationToken cancellationToken = default) =>
            Task.FromResult(LocatePublicKey(methods, domain, selector, cancellationToken));
    }
}
