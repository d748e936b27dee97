using System.Security.Cryptography;
using Org.BouncyCastle.Crypto;

namespace Estafeta.MailAuth.Dkim;

/// <summary>A BouncyCastle <see cref="ISigner"/> for MimeKit's signers (DKIM, ARC) that hashes with
/// <see cref="IncrementalHash"/> and signs with the platform RSA: override
/// <c>DkimSignerBase.CreateSigningContext()</c> to return one and MimeKit keeps its own
/// canonicalization while RSA runs about ten times faster. Not thread-safe: one per signature.</summary>
public sealed class SystemRsaDigestSigner : ISigner, IDisposable
{
    private readonly RSA rsa;
    private readonly IncrementalHash hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);

    /// <param name="rsa">The key; it is used, not owned.</param>
    public SystemRsaDigestSigner(RSA rsa) => this.rsa = rsa;

    public string AlgorithmName => "SHA-256withRSA";

    /// <summary>The key was given to the constructor; the parameters are ignored.</summary>
    public void Init(bool forSigning, ICipherParameters parameters) => hash.GetHashAndReset();

    public void Update(byte input) => hash.AppendData([input]);

    public void BlockUpdate(byte[] input, int inOff, int inLen) => hash.AppendData(input, inOff, inLen);

    public void BlockUpdate(ReadOnlySpan<byte> input) => hash.AppendData(input);

    public int GetMaxSignatureSize() => (rsa.KeySize + 7) / 8;

    public byte[] GenerateSignature() =>
        rsa.SignHash(hash.GetHashAndReset(), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public bool VerifySignature(byte[] signature) =>
        rsa.VerifyHash(hash.GetHashAndReset(), signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);

    public void Reset() => hash.GetHashAndReset();

    public void Dispose() => hash.Dispose();
}
