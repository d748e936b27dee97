using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Estafeta.MailAuth.Dkim;

/// <summary>A public key from a key record, ready to check a signature over a SHA-256 digest.</summary>
internal abstract class DkimPublicKey : IDisposable
{
    public abstract bool VerifyDigest(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature);

    public virtual void Dispose() { }

    /// <summary>Imports p= for k=; returns null with a reason when the bytes are not such a key.</summary>
    public static DkimPublicKey? Import(DkimPublicKeyRecord record, out string error)
    {
        error = string.Empty;
        switch (record.KeyType)
        {
            case "rsa":
                var rsa = ImportRsa(record.PublicKey);
                if (rsa is not null) return new Rsa(rsa);
                error = "key record p= is not an RSA public key";
                return null;
            case "ed25519":
                try
                {
                    if (record.PublicKey.Length == Ed25519.PublicKeySize) return new Ed(new Ed25519PublicKeyParameters(record.PublicKey));
                }
                catch (ArgumentException)
                {
                }
                error = "key record p= is not an Ed25519 public key";
                return null;
            default:
                error = $"unsupported key type k={record.KeyType}";
                return null;
        }
    }

    /// <summary>RFC 6376 publishes SubjectPublicKeyInfo; some domains publish a bare PKCS#1
    /// RSAPublicKey, which common verifiers accept too.</summary>
    private static RSA? ImportRsa(byte[] der)
    {
        var rsa = RSA.Create();
        try
        {
            rsa.ImportSubjectPublicKeyInfo(der, out var read);
            if (read == der.Length) return rsa;
        }
        catch (CryptographicException)
        {
        }
        try
        {
            rsa.ImportRSAPublicKey(der, out var read);
            if (read == der.Length) return rsa;
        }
        catch (CryptographicException)
        {
        }
        rsa.Dispose();
        return null;
    }

    internal sealed class Rsa(RSA rsa) : DkimPublicKey
    {
        public int KeySize => rsa.KeySize;

        public override bool VerifyDigest(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature) =>
            rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        public override void Dispose() => rsa.Dispose();
    }

    internal sealed class Ed(Ed25519PublicKeyParameters key) : DkimPublicKey
    {
        public override bool VerifyDigest(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature) =>
            signature.Length == Ed25519.SignatureSize && key.Verify(Ed25519.Algorithm.Ed25519, null, digest, signature);
    }
}
