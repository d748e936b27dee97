using System.Formats.Asn1;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Estafeta.MailAuth.Dkim;

/// <summary>An Ed25519 DKIM key (RFC 8463). .NET has no Ed25519 of its own: the key signs through
/// OpenSSL's libcrypto, the library .NET's RSA and SHA-256 already run on (about three times as fast as
/// BouncyCastle's managed Ed25519), and through BouncyCastle only where no libcrypto can be loaded
/// (see <see cref="Implementation"/>). The key is made once, when the DKIM key is loaded, not per message.</summary>
public sealed class DkimEd25519PrivateKey : DkimPrivateKey
{
    private readonly byte[] seed;
    private readonly OpenSslEd25519.Key? native;
    private readonly Ed25519PrivateKeyParameters? managed;

    internal DkimEd25519PrivateKey(byte[] seed)
    {
        if (seed.Length != 32) throw new FormatException($"An Ed25519 seed has 32 bytes, not {seed.Length}.");
        this.seed = seed;
        if (OpenSslEd25519.IsAvailable)
        {
            native = OpenSslEd25519.PrivateKey(seed);
            PublicKey = OpenSslEd25519.RawPublicKey(native);
        }
        else
        {
            managed = new Ed25519PrivateKeyParameters(seed);
            PublicKey = managed.GeneratePublicKey().GetEncoded();
        }
        PublicKeyBase64 = Convert.ToBase64String(PublicKey);
    }

    /// <summary>What signs Ed25519 in this process: "OpenSSL libcrypto.so.3" or the like, or
    /// BouncyCastle when no libcrypto could be loaded. (Verification always uses BouncyCastle, which
    /// verifies faster than OpenSSL 3.0.)</summary>
    public static string Implementation => OpenSslEd25519.Implementation;

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
        if (native is not null) return OpenSslEd25519.Sign(native, sha256Digest);
        var signature = new byte[Ed25519.SignatureSize];
        managed!.Sign(Ed25519.Algorithm.Ed25519, null, sha256Digest, signature);
        return signature;
    }

    public override void Dispose()
    {
        native?.Dispose();
        CryptographicOperations.ZeroMemory(seed);
    }
}
