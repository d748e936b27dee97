using System.Security.Cryptography;
using Estafeta.MailAuth.Dkim;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>Keys made once per test run (RSA generation is slow) and the DNS that publishes them.</summary>
internal static class TestKeys
{
    public const string Domain = "news.example.com";
    public const string RsaSelector = "rsa2025";
    public const string Ed25519Selector = "ed2025";

    private static readonly Lazy<DkimRsaPrivateKey> rsa = new(() => DkimPrivateKey.GenerateRsa(2048));
    private static readonly Lazy<DkimEd25519PrivateKey> ed25519 = new(DkimPrivateKey.GenerateEd25519);

    public static DkimRsaPrivateKey Rsa => rsa.Value;
    public static DkimEd25519PrivateKey Ed25519 => ed25519.Value;

    public static DkimSigningKey RsaSigning => new(Domain, RsaSelector, Rsa);
    public static DkimSigningKey Ed25519Signing => new(Domain, Ed25519Selector, Ed25519);

    /// <summary>A signer for both keys at a fixed time (Ed25519 first, as RFC 8463 shows).</summary>
    public static DkimSigner DualSigner(long unixTime = 1_700_000_000, DkimSignerOptions? options = null) =>
        new([Ed25519Signing, RsaSigning], options, FixedClock.AtUnix(unixTime));

    public static InMemoryDns PublishedDns() => new InMemoryDns()
        .Add(DkimDnsRecord.Name(RsaSelector, Domain), Rsa.DnsTxtValue)
        .Add(DkimDnsRecord.Name(Ed25519Selector, Domain), Ed25519.DnsTxtValue);

    public static DkimVerifier Verifier(InMemoryDns dns, long unixTime = 1_700_000_100, DkimVerifierOptions? options = null) =>
        new(dns, FixedClock.AtUnix(unixTime), options);

    /// <summary>An RSA key below the RFC 8301 minimum, which the public API refuses to load.</summary>
    public static DkimRsaPrivateKey Weak(int bits) => new(RSA.Create(bits));
}
