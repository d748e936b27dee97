using System.Diagnostics;
using System.Security.Cryptography;
using System.Globalization;
using System.Net;
using System.Text;
using Estafeta.MailAuth.Dkim;
using Estafeta.MailAuth.Spf;
using Estafeta.Testing;

namespace Estafeta.Bench;

/// <summary>Single-thread rates of the authentication kernels: DKIM sign and verify of a 22 KB campaign
/// message (RSA-2048 and Ed25519, relaxed/relaxed, through the product's signer and verifier), and SPF
/// evaluation with a warm cache. Each rate is measured for a fixed time after a warm-up.</summary>
public static class AuthSpeed
{
    /// <summary>Every rate, or only those whose names contain one of the comma-separated parts of <paramref name="only"/>
    /// (one algorithm's kernels, or one kernel for profiling).</summary>
    public static string Run(TimeSpan each, string? only = null)
    {
        using var setup = Setup();
        var rates = new List<string>();
        foreach (var (name, work) in setup.Kernels)
            if (only is null || only.Split(',').Any(part => name.Contains(part, StringComparison.Ordinal))) rates.Add(Rate(name, each, work));
        return string.Join('\n', rates) + $"\nmessage-bytes {setup.Message.Length}";
    }

    /// <summary>The message, keys, signers, verifier and SPF evaluator the kernels work with, and the DNS server on
    /// loopback they ask.</summary>
    public sealed class Workload(byte[] message, IDisposable dns) : IDisposable
    {
        public byte[] Message { get; } = message;
        /// <summary>The octets an RSA-2048 and an Ed25519 operation on the message hash (<see cref="HashedOctets"/>).</summary>
        public required long RsaHashedOctets { get; init; }
        public required long EdHashedOctets { get; init; }
        public required (string Name, Action Work)[] Kernels { get; init; }

        public Action Kernel(string name) => Kernels.Single(k => k.Name == name).Work;

        public void Dispose() => dns.Dispose();
    }

    public static Workload Setup()
    {
        var message = CampaignMessage();
        var rsa = new DkimSigningKey("ejemplo.test", "r2026", DkimPrivateKey.GenerateRsa(2048));
        var ed = new DkimSigningKey("ejemplo.test", "e2026", DkimPrivateKey.GenerateEd25519());
        var zone = new DnsZone { DefaultTtl = TimeSpan.FromHours(1) };
        zone.AddTxt("r2026._domainkey.ejemplo.test", rsa.Key.DnsTxtStrings.ToArray());
        zone.AddTxt("e2026._domainkey.ejemplo.test", ed.Key.DnsTxtStrings.ToArray());
        zone.AddTxt("ejemplo.test", "v=spf1 ip4:192.0.2.0/24 include:_spf.proveedor.test mx -all");
        zone.AddTxt("_spf.proveedor.test", "v=spf1 ip4:198.51.100.0/24 include:_spf2.proveedor.test ~all");
        zone.AddTxt("_spf2.proveedor.test", "v=spf1 ip6:2001:db8::/32 a:envio.proveedor.test -all");
        zone.AddA("envio.proveedor.test", "203.0.113.9");
        zone.AddMx("ejemplo.test", 10, "mx.ejemplo.test");
        zone.AddA("mx.ejemplo.test", "203.0.113.25");
        // The product's resolver (DnsClientResolver and its answer cache) asking a DNS server on loopback: the
        // first question of each name goes over UDP during the warm-up, every measured one is a cache hit, as on a
        // server that has seen the sender before. The zone's TTL (an hour) outlasts the run.
        var server = new LoopbackDns(zone);
        var dns = server.Dns.CreateResolver();

        var rsaSigner = new DkimSigner(rsa);
        var edSigner = new DkimSigner(ed);
        var rsaSigned = rsaSigner.SignAndPrepend(message);
        var edSigned = edSigner.SignAndPrepend(message);
        var verifier = new DkimVerifier(dns);
        var spf = new SpfEvaluator(dns);
        var client = IPAddress.Parse("203.0.113.9");

        var body = message.AsSpan(message.AsSpan().IndexOf("\r\n\r\n"u8) + 4).ToArray();
        // The verification's steps besides hashing the body and the RSA or Ed25519 operation, for profiling them apart.
        var rsaWire = WireMessage.Parse(rsaSigned);
        var signatureField = rsaWire.Fields[0];
        var signatureBytes = rsaWire.FieldBytes(signatureField).ToArray();
        var signatureValue = rsaSigned.AsMemory(signatureField.Offset + "DKIM-Signature:".Length, signatureField.Length - "DKIM-Signature:".Length);
        var parsedSignature = DkimSignature.ParseWellFormed(signatureValue)!;
        var rsaPublic = new DkimPublicKeyCache().Parse(string.Concat(rsa.Key.DnsTxtStrings), out _)!.Key(out _)!;
        var rsaDigest = HeaderSelection.HeaderDigest(rsaWire, parsedSignature.SignedHeaderNames, DkimCanonicalization.Relaxed, signatureBytes, removeSignatureValue: true);
        return new Workload(message, server)
        {
            RsaHashedOctets = HashedOctets(rsaSigned),
            EdHashedOctets = HashedOctets(edSigned),
            Kernels =
            [
                // The hash the DKIM code runs (libcrypto's SHA256_* where loaded), and .NET's for comparison.
                ("sha256-message", () => Sha256.Hash(message)),
                ("sha256-message-dotnet", () => SHA256.HashData(message)),
                ("body-hash-relaxed", () => DkimCanonicalizer.BodyHash(body, DkimCanonicalization.Relaxed)),
                ("body-hash-simple", () => DkimCanonicalizer.BodyHash(body, DkimCanonicalization.Simple)),
                ("dkim-sign-rsa2048", () => rsaSigner.Sign(message)),
                ("dkim-sign-ed25519", () => edSigner.Sign(message)),
                ("dkim-verify-rsa2048", () => verifier.VerifyAsync(rsaSigned).GetAwaiter().GetResult()),
                ("dkim-verify-ed25519", () => verifier.VerifyAsync(edSigned).GetAwaiter().GetResult()),
                ("part-message-split", () => WireMessage.Parse(rsaSigned)),
                ("part-signature-parse", () => DkimSignature.ParseWellFormed(signatureValue)),
                ("part-header-digest", () => HeaderSelection.HeaderDigest(rsaWire, parsedSignature.SignedHeaderNames, DkimCanonicalization.Relaxed, signatureBytes, removeSignatureValue: true)),
                ("part-rsa-verify-digest", () => rsaPublic.VerifyDigest(rsaDigest, parsedSignature.SignatureData)),
                ("spf-eval-warm", () => spf.CheckHostAsync(client, "ejemplo.test", "boletin@ejemplo.test", "envio.proveedor.test").GetAwaiter().GetResult()),
            ],
        };
    }

    /// <summary>The octets that signing the message or verifying <paramref name="signed"/> (the message with its
    /// DKIM-Signature on top) feeds to SHA-256, RFC 6376 §3.7: the canonical body, then the canonical header fields h=
    /// names and the signature field itself without its b= value and final CRLF. The signature field is part of what is
    /// hashed but not of the unsigned message, so the message's size alone falls short of it by a few hundred octets.
    /// Counted with the product's canonicalizer for this message, whose fields each appear once.</summary>
    public static long HashedOctets(byte[] signed)
    {
        var wire = WireMessage.Parse(signed);
        var field = wire.Fields[0];
        var fieldBytes = wire.FieldBytes(field);
        var colon = fieldBytes.IndexOf((byte)':');
        var signature = DkimSignature.ParseWellFormed(signed.AsMemory(field.Offset + colon + 1, field.Length - colon - 1))
            ?? throw new InvalidOperationException("the benchmark's signature does not parse");
        var octets = wire.HashBody(signature.BodyCanonicalization).CanonicalLength;
        var buffer = new byte[signed.Length + 1];
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var header in wire.Fields[1..])
        {
            if (!names.Add(header.Name)) throw new InvalidOperationException($"the benchmark's message has {header.Name} twice");
            if (signature.SignedHeaderNames.Contains(header.Name, StringComparer.OrdinalIgnoreCase))
                octets += DkimCanonicalizer.WriteHeader(wire.FieldBytes(header), signature.HeaderCanonicalization, buffer);
        }
        return octets + DkimCanonicalizer.WriteHeader(SignatureValueRemoval.WithoutSignatureValue(fieldBytes), signature.HeaderCanonicalization, buffer);
    }

    /// <summary>A DNS server on loopback for the run (started and stopped synchronously: the benchmark is single-threaded code).</summary>
    private sealed class LoopbackDns(DnsZone zone) : IDisposable
    {
        public LoopbackDnsServer Dns { get; } = LoopbackDnsServer.StartAsync(zone).GetAwaiter().GetResult();

        public void Dispose() => Dns.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    /// <summary>Operations per second of CPU time, and the bytes of managed memory one operation allocates (user and system, all threads of the process: the
    /// collector and the JIT count too), after a warm-up that lasts until the rate stops improving, so
    /// that the code measured is the steady-state (tier-1) code a long-running server executes rather
    /// than the first, quickly compiled one. CPU time, not wall time, because `openssl speed`, the
    /// baseline, counts CPU time too, and a busy machine then slows neither figure.</summary>
    private static string Rate(string name, TimeSpan each, Action work)
    {
        var batch = WarmUp(work);
        var (n, cpu) = Measure(work, each, batch);
        // Managed memory each operation allocates (the collector's work is in the CPU time above).
        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = 0; i < batch; i++) work();
        var allocated = (GC.GetAllocatedBytesForCurrentThread() - before) / batch;
        return string.Create(CultureInfo.InvariantCulture, $"{name} {n / cpu:F0} {allocated}");
    }

    /// <summary>Rounds of a quarter of a CPU second until three in a row do not beat the best rate
    /// by 2 %, at least two CPU seconds and at most fifteen. Returns how many operations take about
    /// a millisecond, the batch between two readings of the CPU clock.</summary>
    internal static int WarmUp(Action work)
    {
        var best = 0.0;
        var stale = 0;
        var spent = 0.0;
        var batch = 1;
        while (spent < 15 && (spent < 2 || stale < 3))
        {
            var (n, cpu) = Measure(work, TimeSpan.FromSeconds(0.25), batch);
            spent += cpu;
            var rate = n / cpu;
            batch = Math.Max(1, (int)(rate / 1000));
            if (rate > best * 1.02) stale = 0;
            else stale++;
            best = Math.Max(best, rate);
        }
        return batch;
    }

    internal static (long Count, double CpuSeconds) Measure(Action work, TimeSpan cpuTime, int batch)
    {
        var start = Environment.CpuUsage.TotalTime;
        long n = 0;
        while (true)
        {
            for (var i = 0; i < batch; i++) work();
            n += batch;
            var spent = Environment.CpuUsage.TotalTime - start;
            if (spent >= cpuTime) return (n, spent.TotalSeconds);
        }
    }

    /// <summary>A 22 KB campaign message: multipart/alternative, text and HTML, Spanish content.</summary>
    public static byte[] CampaignMessage()
    {
        var html = new StringBuilder();
        while (html.Length < 15_000)
            html.Append("<tr><td style=\"font-family:Arial;padding:8px\">¡Oferta de Navidad! Descubre nuestros productos con envío incluido. <a href=\"https://ejemplo.test/c/abc123\">Ver más</a></td></tr>\r\n");
        var text = new StringBuilder();
        while (text.Length < 6_000) text.Append("¡Oferta de Navidad! Descubre nuestros productos con envío incluido: https://ejemplo.test/c/abc123\r\n");
        var b = new StringBuilder();
        b.Append("From: Tienda Ejemplo <boletin@ejemplo.test>\r\nTo: cliente@destino.test\r\nSubject: =?utf-8?q?=C2=A1Oferta_de_Navidad!?=\r\n");
        b.Append("Date: Thu, 26 Nov 2026 10:00:00 +0000\r\nMessage-ID: <campana-1@ejemplo.test>\r\nMIME-Version: 1.0\r\n");
        b.Append("List-Unsubscribe: <https://ejemplo.test/u/abc>, <mailto:unsubscribe+abc@ejemplo.test>\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n");
        b.Append("Content-Type: multipart/alternative; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
        b.Append(text).Append("\r\n--b1\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n<html><body><table>\r\n");
        b.Append(html).Append("</table></body></html>\r\n--b1--\r\n");
        return Encoding.UTF8.GetBytes(b.ToString());
    }
}
