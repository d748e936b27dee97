using System.Diagnostics;
using System.Text;
using Estafeta.MailAuth.Dkim;
using MimeKit;
using MimeKit.Cryptography;
using Xunit.Abstractions;
using DkimSigner = Estafeta.MailAuth.Dkim.DkimSigner;
using DkimVerifier = Estafeta.MailAuth.Dkim.DkimVerifier;

namespace Estafeta.MailAuth.Tests.Dkim;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DkimSpeedCollection
{
    public const string Name = "DKIM speed";
}

/// <summary>Signs and verifies 200 campaign messages per path and prints the rates; no timing is
/// asserted (the figures depend on the machine), only that every signature verifies.</summary>
[Collection(DkimSpeedCollection.Name)]
public sealed class SigningSpeedTests(ITestOutputHelper output)
{
    private const int Count = 200;

    private static readonly string[] MimeKitHeaders =
        ["From", "Reply-To", "Subject", "Date", "To", "Message-ID", "MIME-Version", "Content-Type", "List-Unsubscribe", "List-Unsubscribe-Post"];

    [Fact]
    public async Task Signing_200_campaign_messages_reports_signs_per_second_for_each_path()
    {
        var messages = Enumerable.Range(0, Count).Select(TestMessages.Campaign).ToArray();
        var bytes = messages.Select(TestMessages.Bytes).ToArray();
        output.WriteLine($"{Count} campaign messages of {bytes[0].Length / 1024.0:F1} KB, one thread, {Environment.ProcessorCount} cores");

        var rsa = new DkimSigner(TestKeys.RsaSigning);
        var ed = new DkimSigner(TestKeys.Ed25519Signing);
        var dual = new DkimSigner([TestKeys.Ed25519Signing, TestKeys.RsaSigning]);
        var pkcs1 = Encoding.ASCII.GetBytes(TestKeys.Rsa.ExportPkcs1Pem());
        var mimeKitDefault = new MimeKit.Cryptography.DkimSigner(new MemoryStream(pkcs1), TestKeys.Domain, TestKeys.RsaSelector, DkimSignatureAlgorithm.RsaSha256)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };
        var mimeKitPlatform = new PlatformRsaMimeKitSigner(new MemoryStream(pkcs1), TestKeys.Rsa.Rsa, TestKeys.Domain, TestKeys.RsaSelector)
        {
            HeaderCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
            BodyCanonicalizationAlgorithm = DkimCanonicalizationAlgorithm.Relaxed,
        };

        var rsaSigned = new byte[Count][];
        var edSigned = new byte[Count][];
        var baseline = Rate("MimeKit DkimSigner, rsa-sha256 via BouncyCastle (MimeMessage)", i => SignWithMimeKit(mimeKitDefault, messages[i]));
        Rate("MimeKit DkimSigner + platform RSA ISigner (MimeMessage)", i => SignWithMimeKit(mimeKitPlatform, messages[i]), baseline);
        Rate("ours, rsa-sha256 from MimeMessage (serialised once)", i => rsa.Sign(messages[i]), baseline);
        Rate("ours, rsa-sha256 from wire bytes", i => rsaSigned[i] = TestMessages.Prepend(rsa.Sign(bytes[i]), bytes[i]), baseline);
        Rate("ours, ed25519-sha256 from wire bytes", i => edSigned[i] = TestMessages.Prepend(ed.Sign(bytes[i]), bytes[i]), baseline);
        Rate("ours, dual ed25519 + rsa from wire bytes (messages/s)", i => dual.Sign(bytes[i]), baseline);

        var digest = new byte[32];
        Rate("limit: platform RSA-2048 SignHash of a digest alone", _ => TestKeys.Rsa.SignDigest(digest), baseline);
        Rate("limit: BouncyCastle Ed25519 sign of a digest alone", _ => TestKeys.Ed25519.SignDigest(digest), baseline);

        var verifier = new DkimVerifier(TestKeys.PublishedDns());
        var rsaPassed = await RateAsync("verify rsa-sha256 2048", rsaSigned, verifier);
        var edPassed = await RateAsync("verify ed25519-sha256", edSigned, verifier);
        output.WriteLine($"verified: {rsaPassed} of {Count} rsa-sha256 and {edPassed} of {Count} ed25519-sha256 passed");
        Assert.Equal(Count, rsaPassed);
        Assert.Equal(Count, edPassed);
    }

    private static Header SignWithMimeKit(MimeKit.Cryptography.DkimSigner signer, MimeMessage message)
    {
        signer.Sign(message, MimeKitHeaders);
        var field = message.Headers[0];
        message.Headers.RemoveAt(0);
        return field;
    }

    private double Rate(string label, Func<int, object> sign, double? baseline = null)
    {
        for (var i = 0; i < 10; i++) sign(i);
        var clock = Stopwatch.StartNew();
        for (var i = 0; i < Count; i++) sign(i);
        var rate = Count / clock.Elapsed.TotalSeconds;
        var ratio = baseline is { } b ? $" ({rate / b:F1}x MimeKit default)" : "";
        output.WriteLine($"{label}: {rate:F0} signs/s{ratio}");
        return rate;
    }

    private async Task<int> RateAsync(string label, byte[][] signed, DkimVerifier verifier)
    {
        for (var i = 0; i < 10; i++) await verifier.VerifyAsync(signed[i]);
        var passed = 0;
        var clock = Stopwatch.StartNew();
        foreach (var message in signed)
            if ((await verifier.VerifyAsync(message))[0].Status == DkimStatus.Pass) passed++;
        output.WriteLine($"{label}: {Count / clock.Elapsed.TotalSeconds:F0} verifies/s");
        return passed;
    }
}
