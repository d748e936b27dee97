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
/// asserted (the figures depend on the machine), only that every signature verifies. Paths run
/// interleaved in rounds and are reported per CPU-second of this process as well as per wall
/// second, so other load on the machine distorts the comparison as little as possible. Run it
/// with -c Release for figures worth quoting.</summary>
[Collection(DkimSpeedCollection.Name)]
public sealed class SigningSpeedTests(ITestOutputHelper output)
{
    private const int Count = 200;
    private const int Rounds = 10;

    private static readonly string[] MimeKitHeaders =
        ["From", "Reply-To", "Subject", "Date", "To", "Message-ID", "MIME-Version", "Content-Type", "List-Unsubscribe", "List-Unsubscribe-Post"];

    [Fact]
    public async Task Signing_200_campaign_messages_reports_signs_per_second_for_each_path()
    {
        var messages = Enumerable.Range(0, Count).Select(TestMessages.Campaign).ToArray();
        var bytes = messages.Select(TestMessages.Bytes).ToArray();
        output.WriteLine($"{Count} campaign messages of {bytes[0].Length / 1024.0:F1} KB each, one thread, {Environment.ProcessorCount} cores, {Rounds} interleaved rounds");

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
        var digest = new byte[32];
        var rsaSigned = new byte[Count][];
        var edSigned = new byte[Count][];

        var paths = new Path[]
        {
            new("MimeKit DkimSigner, rsa-sha256 through BouncyCastle (MimeMessage)", i => SignWithMimeKit(mimeKitDefault, messages[i])),
            new("MimeKit DkimSigner + SystemRsaDigestSigner (MimeMessage)", i => SignWithMimeKit(mimeKitPlatform, messages[i])),
            new("ours, rsa-sha256 from MimeMessage (serialised once)", i => rsa.Sign(messages[i])),
            new("ours, rsa-sha256 from wire bytes", i => rsaSigned[i] = TestMessages.Prepend(rsa.Sign(bytes[i]), bytes[i])),
            new("ours, ed25519-sha256 from wire bytes", i => edSigned[i] = TestMessages.Prepend(ed.Sign(bytes[i]), bytes[i])),
            new("ours, dual ed25519 + rsa from wire bytes, messages", i => dual.Sign(bytes[i])),
            new("limit: platform RSA-2048 SignHash of a digest", _ => TestKeys.Rsa.SignDigest(digest)),
            new("limit: BouncyCastle Ed25519 sign of a digest", _ => TestKeys.Ed25519.SignDigest(digest)),
        };
        foreach (var path in paths) path.WarmUp();
        for (var round = 0; round < Rounds; round++)
            foreach (var path in paths) path.Measure(round * (Count / Rounds), Count / Rounds);

        var baseline = paths[0];
        foreach (var path in paths)
            output.WriteLine($"{path.Label}: {path.PerCpuSecond:F0}/CPU-s, {path.PerWallSecond:F0}/s wall ({path.PerCpuSecond / baseline.PerCpuSecond:F1}x MimeKit default)");

        var verifier = new DkimVerifier(TestKeys.PublishedDns());
        var rsaPassed = await VerifyAll("verify rsa-sha256 2048", rsaSigned, verifier);
        var edPassed = await VerifyAll("verify ed25519-sha256", edSigned, verifier);
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

    private async Task<int> VerifyAll(string label, byte[][] signed, DkimVerifier verifier)
    {
        var warmUp = Stopwatch.StartNew();
        for (var i = 0; i < 20 || warmUp.ElapsedMilliseconds < 400; i++) await verifier.VerifyAsync(signed[i % Count]);
        var passed = 0;
        var cpu = Environment.CpuUsage.TotalTime;
        var clock = Stopwatch.StartNew();
        foreach (var message in signed)
            if ((await verifier.VerifyAsync(message))[0].Status == DkimStatus.Pass) passed++;
        var cpuSeconds = (Environment.CpuUsage.TotalTime - cpu).TotalSeconds;
        output.WriteLine($"{label}: {Count / cpuSeconds:F0}/CPU-s, {Count / clock.Elapsed.TotalSeconds:F0}/s wall");
        return passed;
    }

    private sealed class Path(string label, Func<int, object> sign)
    {
        private TimeSpan cpu;
        private TimeSpan wall;
        private int done;

        public string Label => label;
        public Func<int, object> Sign => sign;
        public double PerCpuSecond => done / cpu.TotalSeconds;
        public double PerWallSecond => done / wall.TotalSeconds;

        /// <summary>Runs the path long enough for the JIT to reach its optimised tier.</summary>
        public void WarmUp()
        {
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 20 || clock.ElapsedMilliseconds < 400; i++) sign(i % Count);
        }

        public void Measure(int first, int count)
        {
            var cpuBefore = Environment.CpuUsage.TotalTime;
            var clock = Stopwatch.StartNew();
            for (var i = first; i < first + count; i++) sign(i);
            wall += clock.Elapsed;
            cpu += Environment.CpuUsage.TotalTime - cpuBefore;
            done += count;
        }
    }
}
