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
        // Each field's name length (0 once the field is taken, 255 for 255 and longer): a name is compared only with
        // the fields whose names are as long, found from the bottom by a vectorised search of these octets.
        Span<byte> lengths = headers.Length <= 512 ? stackalloc byte[headers.Length] : new byte[headers.Length];
        for (var i = 0; i < headers.Length; i++) lengths[i] = (byte)Math.Clamp(headers[i].Name.Length, 1, 255);
        Span<int> chosen = names.Length <= 256 ? stackalloc int[names.Length] : new int[names.Length];
        var count = 0;
        if (removeSignatureValue && signatureField.EndsWith("\r\n"u8)) signatureField = signatureField[..^2];
        var size = DkimCanonicalizer.MaxHeaderLength(signatureField.Length);
        foreach (var name in names)
        {
            if (name.Length == 0) continue;
            var key = (byte)Math.Min(name.Length, 255);
            var below = headers.Length;
            while ((below = lengths[..below].LastIndexOf(key)) >= 0)
            {
                if (!SameName(headers[below].Name, name)) continue;
                lengths[below] = 0;
                chosen[count++] = below;
                size += DkimCanonicalizer.MaxHeaderLength(headers[below].Length);
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

    /// <summary>Whether two names are the same but for the case of ASCII letters (what
    /// OrdinalIgnoreCase decides for field names, which are ASCII; this one has no set-up cost for short strings).
    /// Anything outside ASCII is left to OrdinalIgnoreCase.</summary>
    private static bool SameName(string a, string b)
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.Length != b.Length) return false; // names of 255 octets and more share one length class
        for (var i = 0; i < a.Length; i++)
        {
            var x = a[i];
            var y = b[i];
            if (x == y) continue;
            if ((x | y) > 0x7f) return a.Equals(b, StringComparison.OrdinalIgnoreCase);
            if ((x ^ y) != 0x20 || (uint)((x | 0x20) - 'a') > 'z' - 'a') return false;
        }
        return true;
    }

    public static int Count(WireMessage message, string name)
    {
        var count = 0;
        foreach (var field in message.Fields)
            if (SameName(field.Name, name)) count++;
        return count;
    }
}
