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
                if (rsa is not null) return Rsa.Of(rsa);
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

    /// <summary>An RSA key: read and checked by the platform's RSA (both encodings), then verifying through
    /// libcrypto directly where it can be loaded (<see cref="OpenSslRsaVerifier"/>), else through the platform.</summary>
    internal sealed class Rsa : DkimPublicKey
    {
        private readonly RSA? platform;
        private readonly OpenSslRsaVerifier.Key? native;

        private Rsa(int keySize, RSA? platform, OpenSslRsaVerifier.Key? native)
        {
            KeySize = keySize;
            this.platform = platform;
            this.native = native;
        }

        /// <summary>Takes ownership of <paramref name="rsa"/>.</summary>
        public static Rsa Of(RSA rsa)
        {
            var native = OpenSslRsaVerifier.IsAvailable ? OpenSslRsaVerifier.Import(rsa.ExportSubjectPublicKeyInfo()) : null;
            if (native is null) return new Rsa(rsa.KeySize, rsa, null);
            var keySize = rsa.KeySize;
            rsa.Dispose();
            return new Rsa(keySize, null, native);
        }

        public int KeySize { get; }

        /// <summary>Whether verification goes through libcrypto directly rather than the platform's RSA.</summary>
        public bool IsNative => native is not null;

        public override bool VerifyDigest(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature) =>
            native?.VerifyDigest(digest, signature) ?? platform!.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        public override void Dispose()
        {
            native?.Dispose();
            platform?.Dispose();
        }
    }

    internal sealed class Ed(Ed25519PublicKeyParameters key) : DkimPublicKey
    {
        public override bool VerifyDigest(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature) =>
            signature.Length == Ed25519.SignatureSize && key.Verify(Ed25519.Algorithm.Ed25519, null, digest, signature);
    }
}
