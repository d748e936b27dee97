using System.Buffers;
using System.Security.Cryptography;

namespace Estafeta.MailAuth.Dkim;

/// <summary>RFC 6376 §5.4.2: each name in h= takes the last not yet used instance of that field,
/// working upwards; a name with no instance left contributes nothing (that is what makes
/// over-signing work).</summary>
internal static class HeaderSelection
{
    /// <summary>The SHA-256 over the selected fields followed by the signature field itself
    /// (b= emptied, no final CRLF). The canonical fields are written into one buffer and hashed at once.</summary>
    public static byte[] HeaderDigest(WireMessage message, IReadOnlyList<string> names, DkimCanonicalization canonicalization, ReadOnlySpan<byte> signatureField)
    {
        var headers = message.Headers;
        Span<bool> used = headers.Count <= 512 ? stackalloc bool[headers.Count] : new bool[headers.Count];
        Span<int> chosen = names.Count <= 256 ? stackalloc int[names.Count] : new int[names.Count];
        var count = 0;
        var size = DkimCanonicalizer.MaxHeaderLength(signatureField.Length);
        foreach (var name in names)
        {
            for (var i = headers.Count - 1; i >= 0; i--)
            {
                if (used[i] || !headers[i].Name.Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
                used[i] = true;
                chosen[count++] = i;
                size += DkimCanonicalizer.MaxHeaderLength(headers[i].Length);
                break;
            }
        }
        var buffer = ArrayPool<byte>.Shared.Rent(size);
        try
        {
            var length = 0;
            foreach (var index in chosen[..count])
                length += DkimCanonicalizer.WriteHeader(message.FieldBytes(headers[index]), canonicalization, buffer.AsSpan(length));
            length += DkimCanonicalizer.WriteHeader(signatureField, canonicalization, buffer.AsSpan(length));
            return SHA256.HashData(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static int Count(WireMessage message, string name)
    {
        var count = 0;
        foreach (var field in message.Headers)
            if (field.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) count++;
        return count;
    }
}
