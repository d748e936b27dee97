using System.Buffers;

namespace Estafeta.MailAuth.Dkim;

/// <summary>RFC 6376 §5.4.2: each name in h= takes the last not yet used instance of that field,
/// working upwards; a name with no instance left contributes nothing (that is what makes
/// over-signing work).</summary>
internal static class HeaderSelection
{
    /// <summary>The SHA-256 over the selected fields followed by the signature field itself (no final
    /// CRLF), with its b= value removed first when <paramref name="removeSignatureValue"/> is set (a field
    /// being verified) or already empty (a field being made). The canonical fields are written into one
    /// buffer and hashed at once.</summary>
    public static byte[] HeaderDigest(WireMessage message, ReadOnlySpan<string> names, DkimCanonicalization canonicalization,
        ReadOnlySpan<byte> signatureField, bool removeSignatureValue = false)
    {
        var headers = message.Fields;
        Span<bool> used = headers.Length <= 512 ? stackalloc bool[headers.Length] : new bool[headers.Length];
        Span<int> chosen = names.Length <= 256 ? stackalloc int[names.Length] : new int[names.Length];
        var count = 0;
        if (removeSignatureValue && signatureField.EndsWith("\r\n"u8)) signatureField = signatureField[..^2];
        var size = DkimCanonicalizer.MaxHeaderLength(signatureField.Length);
        foreach (var name in names)
        {
            for (var i = headers.Length - 1; i >= 0; i--)
            {
                // Most names differ in length: that test first, before the call that compares the text.
                var candidate = headers[i].Name;
                if (used[i] || candidate.Length != name.Length || !candidate.Equals(name, StringComparison.OrdinalIgnoreCase)) continue;
                used[i] = true;
                chosen[count++] = i;
                size += DkimCanonicalizer.MaxHeaderLength(headers[i].Length);
                break;
            }
        }
        // With b= to remove, the field without it is assembled after the room for the canonical text.
        var buffer = ArrayPool<byte>.Shared.Rent(removeSignatureValue ? size + signatureField.Length : size);
        try
        {
            var length = 0;
            foreach (var index in chosen[..count])
                length += DkimCanonicalizer.WriteHeader(message.FieldBytes(headers[index]), canonicalization, buffer.AsSpan(length));
            if (removeSignatureValue)
            {
                var (start, end) = SignatureValueRemoval.ValueRange(signatureField);
                var unsigned = buffer.AsSpan(size, signatureField.Length - (end - start));
                signatureField[..start].CopyTo(unsigned);
                signatureField[end..].CopyTo(unsigned[start..]);
                signatureField = unsigned;
            }
            length += DkimCanonicalizer.WriteHeader(signatureField, canonicalization, buffer.AsSpan(length));
            return Sha256.Hash(buffer.AsSpan(0, length));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public static int Count(WireMessage message, string name)
    {
        var count = 0;
        foreach (var field in message.Fields)
            if (field.Name.Length == name.Length && field.Name.Equals(name, StringComparison.OrdinalIgnoreCase)) count++;
        return count;
    }
}
