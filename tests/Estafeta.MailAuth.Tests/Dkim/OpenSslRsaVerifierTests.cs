using System.Security.Cryptography;
using Estafeta.MailAuth.Dkim;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>RSA verification through libcrypto directly, with kept contexts, against the platform's
/// RSA: the same verdict for good signatures, altered signatures and digests, wrong lengths, from
/// several threads at once, and after failures (which discard the context used).</summary>
public sealed class OpenSslRsaVerifierTests
{
    [Fact]
    public void Libcrypto_verifies_dkim_rsa_keys_on_linux()
    {
        if (!OperatingSystem.IsLinux()) return;
        Assert.True(OpenSslRsaVerifier.IsAvailable);
        using var rsa = RSA.Create(2048);
        var record = RsaVerifierCases.Record(rsa.ExportSubjectPublicKeyInfo());
        using var key = DkimPublicKey.Import(record, out var error);
        var imported = Assert.IsType<DkimPublicKey.Rsa>(key);
        Assert.True(imported.IsNative, error);
        Assert.Equal(2048, imported.KeySize);
    }

    [Fact]
    public void Verdicts_match_the_platform_rsa_for_good_and_altered_signatures()
    {
        foreach (var bits in new[] { 1024, 2048, 3072 })
        {
            using var rsa = RSA.Create(bits);
            using var native = OpenSslRsaVerifier.Import(rsa.ExportSubjectPublicKeyInfo());
            if (native is null)
            {
                Assert.False(OperatingSystem.IsLinux(), "libcrypto did not read a SubjectPublicKeyInfo .NET exported");
                return;
            }
            for (var i = 0; i < 20; i++)
            {
                var digest = SHA256.HashData(RandomNumberGenerator.GetBytes(i * 7));
                var signature = rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                Assert.True(native.VerifyDigest(digest, signature));

                var alteredSignature = (byte[])signature.Clone();
                alteredSignature[RandomNumberGenerator.GetInt32(alteredSignature.Length)] ^= (byte)(1 << RandomNumberGenerator.GetInt32(8));
                var alteredDigest = (byte[])digest.Clone();
                alteredDigest[RandomNumberGenerator.GetInt32(alteredDigest.Length)] ^= 0x80;
                foreach (var (d, s) in new[] { (digest, alteredSignature), (alteredDigest, signature), (digest, signature[..^1]), (digest, (byte[])[0, .. signature]) })
                {
                    var expected = rsa.VerifyHash(d, s, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                    Assert.False(expected);
                    Assert.Equal(expected, native.VerifyDigest(d, s));
                }
                // A failure discards its context; the next verification still succeeds.
                Assert.True(native.VerifyDigest(digest, signature));
            }
        }
    }

    [Fact]
    public void A_signature_made_with_another_padding_or_hash_does_not_verify()
    {
        using var rsa = RSA.Create(2048);
        using var native = OpenSslRsaVerifier.Import(rsa.ExportSubjectPublicKeyInfo());
        if (native is null) return;
        var digest = SHA256.HashData("header fields"u8);
        Assert.False(native.VerifyDigest(digest, rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pss)));
        var sha1 = SHA1.HashData("header fields"u8);
        Assert.False(native.VerifyDigest(sha1, rsa.SignHash(sha1, HashAlgorithmName.SHA1, RSASignaturePadding.Pkcs1)));
        Assert.True(native.VerifyDigest(digest, rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
    }

    [Fact]
    public void One_key_verifies_from_many_threads_at_once()
    {
        using var rsa = RSA.Create(2048);
        using var native = OpenSslRsaVerifier.Import(rsa.ExportSubjectPublicKeyInfo());
        if (native is null) return;
        Assert.Equal(0, RsaVerifierCases.WrongVerdictsFromManyThreads(rsa, (digest, signature) => native.VerifyDigest(digest, signature)));
    }

    [Fact]
    public void A_bare_pkcs1_key_record_verifies_through_libcrypto_too()
    {
        using var rsa = RSA.Create(2048);
        using var key = DkimPublicKey.Import(RsaVerifierCases.Record(rsa.ExportRSAPublicKey()), out var error);
        var imported = Assert.IsType<DkimPublicKey.Rsa>(key);
        Assert.Equal(OpenSslRsaVerifier.IsAvailable, imported.IsNative);
        var digest = SHA256.HashData("x"u8);
        Assert.True(imported.VerifyDigest(digest, rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)), error);
    }
}
