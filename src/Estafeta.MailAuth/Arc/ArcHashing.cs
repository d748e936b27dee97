using System.Security.Cryptography;
using Estafeta.MailAuth.Dkim;

namespace Estafeta.MailAuth.Arc;

/// <summary>The digests ARC signs, built on DKIM's canonicalization (RFC 8617 §5.1.1, §5.1.2).</summary>
internal static class ArcHashing
{
    /// <summary>The ARC-Message-Signature header digest: the fields named in h= (each name takes the
    /// next instance from the bottom, as in DKIM), then the signature field with b= emptied.</summary>
    public static byte[] MessageSignatureDigest(WireMessage message, IReadOnlyList<string> signedHeaders, DkimCanonicalization canonicalization, ReadOnlySpan<byte> signatureField)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var used = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in signedHeaders)
        {
            var skip = used.GetValueOrDefault(name);
            used[name] = skip + 1;
            for (var i = message.Headers.Count - 1; i >= 0; i--)
            {
                if (!message.Headers[i].Name.Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
                if (skip-- > 0) continue;
                hash.AppendData(DkimCanonicalizer.CanonicalizeHeader(message.FieldBytes(message.Headers[i]), canonicalization));
                break;
            }
        }
        hash.AppendData(DkimCanonicalizer.CanonicalizeHeader(SignatureValueRemoval.WithoutSignatureValue(signatureField), canonicalization));
        return hash.GetHashAndReset();
    }

    /// <summary>The ARC-Seal digest: relaxed canonical forms of every earlier set in order
    /// (AAR, AMS, AS), then the new set's AAR and AMS, then its seal with b= emptied.</summary>
    public static byte[] SealDigest(IEnumerable<ReadOnlyMemory<byte>> earlierFields, ReadOnlySpan<byte> sealField)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var field in earlierFields) hash.AppendData(DkimCanonicalizer.CanonicalizeHeader(field.Span, DkimCanonicalization.Relaxed));
        hash.AppendData(DkimCanonicalizer.CanonicalizeHeader(SignatureValueRemoval.WithoutSignatureValue(sealField), DkimCanonicalization.Relaxed));
        return hash.GetHashAndReset();
    }

    public static byte[] BodyHash(ReadOnlySpan<byte> body, DkimCanonicalization canonicalization, long? length)
    {
        var canonical = DkimCanonicalizer.CanonicalizeBody(body, canonicalization);
        var covered = length is { } l && l < canonical.Length ? canonical.AsSpan(0, (int)l) : canonical;
        return SHA256.HashData(covered);
    }
}
