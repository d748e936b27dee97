using System.Security.Cryptography;
using Estafeta.MailAuth.Dkim;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>What the tests of the native RSA verifiers share.</summary>
internal static class RsaVerifierCases
{
    /// <summary>How many of 4,000 verifications from eight threads at once give the wrong verdict: 64 digests signed by
    /// <paramref name="rsa"/>, a third of the signatures altered.</summary>
    public static int WrongVerdictsFromManyThreads(RSA rsa, Func<byte[], byte[], bool> verify)
    {
        var cases = Enumerable.Range(0, 64).Select(i =>
        {
            var digest = SHA256.HashData(BitConverter.GetBytes(i));
            var signature = rsa.SignHash(digest, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            if (i % 3 == 0) signature[10] ^= 1;
            return (digest, signature, valid: i % 3 != 0);
        }).ToArray();
        var wrong = 0;
        Parallel.For(0, 4000, new ParallelOptions { MaxDegreeOfParallelism = 8 }, n =>
        {
            var (digest, signature, valid) = cases[n % cases.Length];
            if (verify(digest, signature) != valid) Interlocked.Increment(ref wrong);
        });
        return wrong;
    }

    public static DkimPublicKeyRecord Record(byte[] der)
    {
        Assert.True(DkimPublicKeyRecord.TryParse("v=DKIM1; k=rsa; p=" + Convert.ToBase64String(der), out var record, out var error), error);
        return record!;
    }
}
