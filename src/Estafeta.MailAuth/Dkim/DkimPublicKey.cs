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

    /// <summary>An RSA key: read and checked by the platform's RSA (both encodings), then verifying through libcrypto
    /// directly where it can be loaded: by Montgomery multiplications of its own for the exponent 65537
    /// (<see cref="MontgomeryRsaVerifier"/>), by EVP_PKEY_verify for any other (<see cref="OpenSslRsaVerifier"/>); else
    /// through the platform.</summary>
    internal sealed class Rsa : DkimPublicKey
    {
        private readonly RSA? platform;
        private readonly OpenSslRsaVerifier.Key? native;
        private readonly MontgomeryRsaVerifier.Key? montgomery;

        private Rsa(int keySize, RSA? platform, OpenSslRsaVerifier.Key? native, MontgomeryRsaVerifier.Key? montgomery)
        {
            KeySize = keySize;
            this.platform = platform;
            this.native = native;
            this.montgomery = montgomery;
        }

        /// <summary>Takes ownership of <paramref name="rsa"/>.</summary>
        public static Rsa Of(RSA rsa)
        {
            var keySize = rsa.KeySize;
            var parameters = rsa.ExportParameters(includePrivateParameters: false);
            if (MontgomeryRsaVerifier.Import(parameters.Modulus, parameters.Exponent) is { } montgomery)
            {
                rsa.Dispose();
                return new Rsa(keySize, null, null, montgomery);
            }
            var native = OpenSslRsaVerifier.IsAvailable ? OpenSslRsaVerifier.Import(rsa.ExportSubjectPublicKeyInfo()) : null;
            if (native is null) return new Rsa(keySize, rsa, null, null);
            rsa.Dispose();
            return new Rsa(keySize, null, native, null);
        }

        public int KeySize { get; }

        /// <summary>Whether verification goes through libcrypto directly rather than the platform's RSA.</summary>
        public bool IsNative => native is not null || montgomery is not null;

        /// <summary>Whether verification computes the exponent 65537 by Montgomery multiplications of its own.</summary>
        public bool IsMontgomery => montgomery is not null;

        public override bool VerifyDigest(ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature) =>
            montgomery?.VerifyDigest(digest, signature) ?? native?.VerifyDigest(digest, signature)
            ?? platform!.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

        public override void Dispose()
        {
            montgomery?.Dispose();
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
