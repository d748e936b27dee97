using System.Security.Cryptography;
using Estafeta.MailAuth.Dkim;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Signers;
using Org.BouncyCastle.Security;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>RSA verification for the exponent 65537 by Montgomery multiplications through libcrypto, against the
/// platform's RSA: the same verdict for good signatures, altered signatures and digests, wrong lengths, integers not
/// below the modulus, encodings that are nearly right, from several threads at once; other exponents go the EVP way.</summary>
public sealed class MontgomeryRsaVerifierTests
{
    [Fact]
    public void Keys_with_the_exponent_65537_verify_by_montgomery_multiplication_on_linux()
    {
        if (!OperatingSystem.IsLinux()) return;
        Assert.True(MontgomeryRsaVerifier.IsAvailable);
        using var rsa = RSA.Create(2048);
        using var key = DkimPublicKey.Import(RsaVerifierCases.Record(rsa.ExportSubjectPublicKeyInfo()), out var error);
        var imported = Assert.IsType<DkimPublicKey.Rsa>(key);
        Assert.True(imported.IsMontgomery, error);
        Assert.True(imported.IsNative);
        var digest = SHA256.HashData("DKIM-Signature"u8);
        Assert.True(imported.VerifyDigest(digest, rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)));
    }

    [Fact]
    public void Verdicts_match_the_platform_rsa_for_good_and_altered_signatures_of_every_key_size()
    {
        foreach (var bits in new[] { 1024, 1536, 2048, 3072, 4096 })
        {
            using var rsa = RSA.Create(bits);
            using var key = Import(rsa);
            if (key is null) return;
            for (var i = 0; i < 12; i++)
            {
                var digest = SHA256.HashData(RandomNumberGenerator.GetBytes(i * 11));
                var signature = rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                Assert.True(key.VerifyDigest(digest, signature), $"{bits} bits");

                var alteredSignature = (byte[])signature.Clone();
                alteredSignature[RandomNumberGenerator.GetInt32(alteredSignature.Length)] ^= (byte)(1 << RandomNumberGenerator.GetInt32(8));
                var alteredDigest = (byte[])digest.Clone();
                alteredDigest[RandomNumberGenerator.GetInt32(alteredDigest.Length)] ^= 0x80;
                foreach (var (d, s) in new[]
                         {
                             (digest, alteredSignature), (alteredDigest, signature), (digest, signature[..^1]), (digest, (byte[])[0, .. signature]),
                             (digest[..^1], signature), (digest, new byte[signature.Length]),
                         })
                {
                    Assert.False(PlatformVerifies(rsa, d, s));
                    Assert.False(key.VerifyDigest(d, s), $"{bits} bits");
                }
                Assert.True(key.VerifyDigest(digest, signature));
            }
        }
    }

    [Fact]
    public void A_signature_whose_integer_is_not_below_the_modulus_is_refused()
    {
        // RFC 8017 §5.2.2: s + n raised to e is s raised to e modulo n, so without the range check both would verify.
        using var rsa = RSA.Create(2048);
        using var key = Import(rsa);
        if (key is null) return;
        var modulus = new BigInteger(1, rsa.ExportParameters(false).Modulus);
        var tested = 0;
        for (var i = 0; tested < 5 && i < 500; i++)
        {
            var digest = SHA256.HashData(BitConverter.GetBytes(i));
            var signature = rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            var shifted = new BigInteger(1, signature).Add(modulus).ToByteArrayUnsigned();
            if (shifted.Length != signature.Length) continue; // s + n needs another octet: refused for its length alone
            tested++;
            Assert.True(key.VerifyDigest(digest, signature));
            Assert.False(PlatformVerifies(rsa, digest, shifted));
            Assert.False(key.VerifyDigest(digest, shifted));
        }
        Assert.True(tested > 0, "no signature left room for s + n in 500 tries");
        var n = rsa.ExportParameters(false).Modulus!;
        var someDigest = SHA256.HashData("n"u8);
        Assert.False(key.VerifyDigest(someDigest, n));
        Assert.False(key.VerifyDigest(someDigest, Enumerable.Repeat((byte)0xFF, n.Length).ToArray()));
    }

    [Fact]
    public void Encodings_that_are_nearly_right_do_not_verify()
    {
        // Raw RSA with the private key turns any encoded message into a "signature" of it; the platform's verdict on each
        // is the reference.
        var keys = new RsaKeyPairGenerator();
        keys.Init(new RsaKeyGenerationParameters(BigInteger.ValueOf(65537), new SecureRandom(), 2048, 80));
        var pair = keys.GenerateKeyPair();
        var priv = (RsaPrivateCrtKeyParameters)pair.Private;
        using var rsa = ToPlatform(priv);
        using var key = Import(rsa);
        if (key is null) return;
        var digest = SHA256.HashData("nearly"u8);
        byte[] digestInfo = [0x30, 0x31, 0x30, 0x0d, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x05, 0x00, 0x04, 0x20];
        byte[] withoutNull = [0x30, 0x2f, 0x30, 0x0b, 0x06, 0x09, 0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02, 0x01, 0x04, 0x20];
        var k = 256;
        byte[] Encoding(byte type, byte filler, byte[] info, int fillerCount)
        {
            var tail = info.Concat(digest).ToArray();
            var encoded = new List<byte> { 0, type };
            encoded.AddRange(Enumerable.Repeat(filler, fillerCount));
            encoded.Add(0);
            encoded.AddRange(tail);
            while (encoded.Count < k) encoded.Insert(2, filler); // keep the length k
            return encoded.Take(k).ToArray();
        }
        var correct = Encoding(1, 0xFF, digestInfo, 8);
        var cases = new List<(string Name, byte[] Encoded)>
        {
            ("correct", correct),
            ("block type 2", Encoding(2, 0xFF, digestInfo, 8)),
            ("padding of FE", Encoding(1, 0xFE, digestInfo, 8)),
            ("DigestInfo without NULL", Encoding(1, 0xFF, withoutNull, 8)),
        };
        var zeroInPadding = (byte[])correct.Clone();
        zeroInPadding[100] = 0;
        cases.Add(("a zero inside the padding", zeroInPadding));
        var leading = (byte[])correct.Clone();
        leading[0] = 1;
        cases.Add(("no leading zero", leading));
        var shortened = new byte[k];
        correct.AsSpan(1).CopyTo(shortened); // everything one octet to the left, a zero at the end
        cases.Add(("shifted", shortened));
        foreach (var (name, encoded) in cases)
        {
            var signature = RawPrivate(priv, encoded, k);
            var expected = PlatformVerifies(rsa, digest, signature);
            Assert.True(expected == (name == "correct"), name);
            Assert.True(expected == key.VerifyDigest(digest, signature), name);
        }
    }

    [Fact]
    public void Keys_with_another_exponent_or_an_even_modulus_go_the_evp_way()
    {
        var keys = new RsaKeyPairGenerator();
        keys.Init(new RsaKeyGenerationParameters(BigInteger.Three, new SecureRandom(), 2048, 80));
        var priv = (RsaPrivateCrtKeyParameters)keys.GenerateKeyPair().Private;
        using var rsa = ToPlatform(priv);
        var parameters = rsa.ExportParameters(false);
        Assert.Null(MontgomeryRsaVerifier.Import(parameters.Modulus, parameters.Exponent));
        var even = (byte[])parameters.Modulus!.Clone();
        even[^1] &= 0xFE;
        Assert.Null(MontgomeryRsaVerifier.Import(even, [1, 0, 1]));
        Assert.Null(MontgomeryRsaVerifier.Import(new byte[MontgomeryRsaVerifier.MaxModulusBits / 8 + 1].Select(_ => (byte)0xFF).ToArray(), [1, 0, 1]));

        using var key = DkimPublicKey.Import(RsaVerifierCases.Record(rsa.ExportSubjectPublicKeyInfo()), out var error);
        var imported = Assert.IsType<DkimPublicKey.Rsa>(key);
        Assert.False(imported.IsMontgomery, error);
        var digest = SHA256.HashData("three"u8);
        var signer = new RsaDigestSigner(new Sha256Digest());
        signer.Init(true, priv);
        signer.BlockUpdate("three"u8.ToArray(), 0, 5);
        var signature = signer.GenerateSignature();
        Assert.True(imported.VerifyDigest(digest, signature));
        signature[7] ^= 1;
        Assert.False(imported.VerifyDigest(digest, signature));
    }

    [Fact]
    public void One_key_verifies_from_many_threads_at_once()
    {
        using var rsa = RSA.Create(2048);
        using var key = Import(rsa);
        if (key is null) return;
        Assert.Equal(0, RsaVerifierCases.WrongVerdictsFromManyThreads(rsa, (digest, signature) => key.VerifyDigest(digest, signature)));
    }

    private static MontgomeryRsaVerifier.Key? Import(RSA rsa)
    {
        var parameters = rsa.ExportParameters(false);
        var key = MontgomeryRsaVerifier.Import(parameters.Modulus, parameters.Exponent);
        Assert.True(key is not null || !OperatingSystem.IsLinux(), "libcrypto's Montgomery multiplication should load on Linux");
        return key;
    }

    private static bool PlatformVerifies(RSA rsa, byte[] digest, byte[] signature)
    {
        try
        {
            return rsa.VerifyHash(digest, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static byte[] RawPrivate(RsaPrivateCrtKeyParameters priv, byte[] encoded, int length)
    {
        var engine = new RsaEngine();
        engine.Init(true, priv);
        var output = engine.ProcessBlock(encoded, 0, encoded.Length);
        var padded = new byte[length];
        output.CopyTo(padded, length - output.Length);
        return padded;
    }

    private static RSA ToPlatform(RsaPrivateCrtKeyParameters priv)
    {
        var rsa = RSA.Create();
        rsa.ImportParameters(new RSAParameters
        {
            Modulus = priv.Modulus.ToByteArrayUnsigned(),
            Exponent = priv.PublicExponent.ToByteArrayUnsigned(),
        });
        return rsa;
    }
}
