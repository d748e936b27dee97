using System.Security.Cryptography;

namespace Estafeta.MailAuth.Dkim;

/// <summary>RFC 6376 §5.4.2: each name in h= takes the last not yet used instance of that field,
/// working upwards; a name with no instance left contributes nothing (that is what makes
/// over-signing work).</summary>
internal static class HeaderSelection
{
    public static void HashSignedHeaders(WireMessage message, IReadOnlyList<string> names, DkimCanonicalization canonicalization, CanonicalSink sink)
    {
        var used = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in names)
        {
            var skip = used.GetValueOrDefault(name);
            used[name] = skip + 1;
            var field = FindFromBottom(message, name, skip);
            if (field is { } found) DkimCanonicalizer.WriteHeader(message.FieldBytes(found), canonicalization, sink);
        }
    }

    /// <summary>The SHA-256 over the selected fields followed by the signature field itself
    /// (b= emptied, no final CRLF).</summary>
    public static byte[] HeaderDigest(WireMessage message, IReadOnlyList<string> names, DkimCanonicalization canonicalization, ReadOnlySpan<byte> signatureField)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using (var sink = new CanonicalSink(hash))
        {
            HashSignedHeaders(message, names, canonicalization, sink);
            DkimCanonicalizer.WriteHeader(signatureField, canonicalization, sink);
            sink.Flush();
        }
        return hash.GetHashAndReset();
    }

    public static int Count(WireMessage message, string name)
    {
        var count = 0;
        foreach (var field in message.Headers)
            if (field.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) count++;
        return count;
    }

    private static HeaderField? FindFromBottom(WireMessage message, string name, int skip)
    {
        for (var i = message.Headers.Count - 1; i >= 0; i--)
        {
            var field = message.Headers[i];
            if (!field.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
            if (skip == 0) return field;
            skip--;
        }
        return null;
    }
}
