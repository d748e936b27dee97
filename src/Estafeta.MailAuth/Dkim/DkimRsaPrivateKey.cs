using System.Security.Cryptography;

namespace Estafeta.MailAuth.Dkim;

/// <summary>An RSA DKIM key, signing through the platform's RSA (OpenSSL on Linux), which is an
/// order of magnitude faster than the managed BouncyCastle path.</summary>
public sealed class DkimRsaPrivateKey : DkimPrivateKey
{
    internal DkimRsaPrivateKey(RSA rsa)
    {
        Rsa = rsa;
        PublicKeyBase64 = Convert.ToBase64String(rsa.ExportSubjectPublicKeyInfo());
    }

    public RSA Rsa { get; }
    public int KeySize => Rsa.KeySize;
    public override DkimAlgorithm Algorithm => DkimAlgorithm.RsaSha256;
    public override string PublicKeyBase64 { get; }

    public override string ExportPem() => Rsa.ExportPkcs8PrivateKeyPem();

    /// <summary>The key as PKCS#1 PEM ("-----BEGIN RSA PRIVATE KEY-----"), for tools that want it.</summary>
    public string ExportPkcs1Pem() => Rsa.ExportRSAPrivateKeyPem();

    internal override byte[] SignDigest(ReadOnlySpan<byte> sha256Digest)
    {
        var signature = new byte[Rsa.KeySize / 8];
        var written = Rsa.SignHash(sha256Digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return written == signature.Length ? signature : signature[..written];
    }

    public override void Dispose() => Rsa.Dispose();
}
