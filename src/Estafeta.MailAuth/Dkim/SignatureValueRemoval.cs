namespace Estafeta.MailAuth.Dkim;

/// <summary>RFC 6376 §3.7: the DKIM-Signature field is hashed with the value of its b= tag deleted.
/// The value is the base64 characters after "b=" together with the folding whitespace between
/// and before them (the rule dkimpy and OpenDKIM apply); the final CRLF is dropped too.</summary>
internal static class SignatureValueRemoval
{
    public static byte[] WithoutSignatureValue(ReadOnlySpan<byte> field)
    {
        if (field.EndsWith("\r\n"u8)) field = field[..^2];
        var colon = field.IndexOf((byte)':');
        var position = colon + 1;
        while (position < field.Length)
        {
            var tagEnd = field[position..].IndexOf((byte)';');
            var tag = tagEnd < 0 ? field[position..] : field.Slice(position, tagEnd);
            var equals = tag.IndexOf((byte)'=');
            if (equals >= 0 && tag[..equals].Trim(" \t\r\n"u8).SequenceEqual("b"u8))
            {
                var valueStart = position + equals + 1;
                var valueEnd = EndOfBase64(field, valueStart);
                return [.. field[..valueStart], .. field[valueEnd..]];
            }
            if (tagEnd < 0) break;
            position += tagEnd + 1;
        }
        return field.ToArray();
    }

    private static int EndOfBase64(ReadOnlySpan<byte> field, int start)
    {
        var end = start;
        var probe = start;
        while (probe < field.Length)
        {
            var b = field[probe];
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n')
            {
                probe++;
                continue;
            }
            if (!IsBase64Character(b)) break;
            probe++;
            end = probe;
        }
        return end;
    }

    private static bool IsBase64Character(byte b) =>
        b is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'+' or (byte)'/' or (byte)'=';
}
