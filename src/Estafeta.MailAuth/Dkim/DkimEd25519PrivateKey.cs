using System.Formats.Asn1;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Estafeta.MailAuth.Dkim;

/// <summary>An Ed25519 DKIM key (RFC 8463). BouncyCastle's Ed25519 signs about as fast as
/// OpenSSL's on this hardware, and .NET has no Ed25519 of its own.</summary>
public sealed class DkimEd25519PrivateKey : DkimPrivateKey
{
    private readonly byte[] seed;
    private readonly Ed25519PrivateKeyParameters key;

    internal DkimEd25519PrivateKey(byte[] seed)
    {
        if (seed.Length != 32) throw new FormatException($"An Ed25519 seed has 32 bytes, not {seed.Length}.");
        this.seed = seed;
        key = new Ed25519PrivateKeyParameters(seed);
        PublicKey = key.GeneratePublicKey().GetEncoded();
        PublicKeyBase64 = Convert.ToBase64String(PublicKey);
    }

    public byte[] PublicKey { get; }
    public override DkimAlgorithm Algorithm => DkimAlgorithm.Ed25519Sha256;
    public override string PublicKeyBase64 { get; }

    /// <summary>The 32-byte private seed.</summary>
    public byte[] ExportSeed() => (byte[])seed.Clone();

    public override string ExportPem()
    {
        var writer = new AsnWriter(AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(0);
            using (writer.PushSequence()) writer.WriteObjectIdentifier(Ed25519Oid);
            var curvePrivateKey = new AsnWriter(AsnEncodingRules.DER);
            curvePrivateKey.WriteOctetString(seed);
            writer.WriteOctetString(curvePrivateKey.Encode());
        }
        return PemEncoding.WriteString("PRIVATE KEY", writer.Encode());
    }

    internal override byte[] SignDigest(ReadOnlySpan<byte> sha256Digest)
    {
        var signature = new byte[Ed25519.SignatureSize];
        key.Sign(Ed25519.Algorithm.Ed25519, null, sha256Digest, signature);
        return signature;
    }

    public override void Dispose() => CryptographicOperations.ZeroMemory(seed);
}
