using System.Security.Cryptography;
using Estafeta.MailAuth.Dkim;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>Ed25519 signing through OpenSSL's libcrypto against BouncyCastle's independent
/// implementation: Ed25519 signatures are deterministic, so both must produce the same bytes for the
/// same key and data.</summary>
public sealed class OpenSslEd25519Tests
{
    [Fact]
    public void Libcrypto_is_used_on_linux()
    {
        if (!OperatingSystem.IsLinux()) return;
        Assert.True(OpenSslEd25519.IsAvailable, DkimEd25519PrivateKey.Implementation);
        Assert.StartsWith("OpenSSL libcrypto", DkimEd25519PrivateKey.Implementation, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dkim_key_signs_what_bouncycastle_signs()
    {
        var seed = RandomNumberGenerator.GetBytes(32);
        using var key = DkimPrivateKey.FromEd25519Seed(seed);
        var digest = SHA256.HashData("canonical header fields"u8);
        var expected = new byte[Ed25519.SignatureSize];
        new Ed25519PrivateKeyParameters(seed).Sign(Ed25519.Algorithm.Ed25519, null, digest, expected);
        Assert.Equal(expected, key.SignDigest(digest));
    }

    [Fact]
    public void Signatures_and_public_keys_match_bouncycastle_for_random_keys_and_data()
    {
        for (var i = 0; i < 50; i++)
        {
            var seed = RandomNumberGenerator.GetBytes(32);
            var data = RandomNumberGenerator.GetBytes(i == 0 ? 0 : RandomNumberGenerator.GetInt32(1, 200));
            var managed = new Ed25519PrivateKeyParameters(seed);
            var expected = new byte[Ed25519.SignatureSize];
            managed.Sign(Ed25519.Algorithm.Ed25519, null, data, expected);

            using var native = OpenSslEd25519.PrivateKey(seed);
            Assert.Equal(managed.GeneratePublicKey().GetEncoded(), OpenSslEd25519.RawPublicKey(native));
            var signature = OpenSslEd25519.Sign(native, data);
            Assert.Equal(expected, signature);
        }
    }
}
