using System.Buffers;

namespace Estafeta.MailAuth.Dkim;

/// <summary>RFC 6376 §3.7: the DKIM-Signature field is hashed with the value of its b= tag deleted.
/// The value is the base64 characters after "b=" together with the folding whitespace between
/// and before them (the rule dkimpy and OpenDKIM apply); the final CRLF is dropped too.</summary>
internal static class SignatureValueRemoval
{
    private static readonly SearchValues<byte> Base64OrWhitespace =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/= \t\r\n"u8);
    private static readonly SearchValues<byte> Whitespace = SearchValues.Create(" \t\r\n"u8);

    public static byte[] WithoutSignatureValue(ReadOnlySpan<byte> field)
    {
        if (field.EndsWith("\r\n"u8)) field = field[..^2];
        var (start, end) = ValueRange(field);
        return [.. field[..start], .. field[end..]];
    }

    /// <summary>Where the b= value is in <paramref name="field"/> (given without its final CRLF):
    /// the octets from start to end are removed; an empty range when there is no b= tag.</summary>
    public static (int Start, int End) ValueRange(ReadOnlySpan<byte> field)
    {
        var colon = field.IndexOf((byte)':');
        var position = colon + 1;
        while (position < field.Length)
        {
            var tagEnd = field[position..].IndexOf((byte)';');
            var tag = tagEnd < 0 ? field[position..] : field.Slice(position, tagEnd);
            var equals = tag.IndexOf((byte)'=');
            if (equals >= 0 && IsB(tag[..equals]))
            {
                var valueStart = position + equals + 1;
                return (valueStart, EndOfBase64(field, valueStart));
            }
            if (tagEnd < 0) break;
            position += tagEnd + 1;
        }
        return (field.Length, field.Length);
    }

    /// <summary>Whether a tag name, with the whitespace around it, is "b" (checked octet by octet: this runs for every
    /// tag of every signature verified).</summary>
    private static bool IsB(ReadOnlySpan<byte> name)
    {
        var seen = false;
        foreach (var octet in name)
        {
            if (Whitespace.Contains(octet)) continue;
            if (octet != (byte)'b' || seen) return false;
            seen = true;
        }
        return seen;
    }

    /// <summary>Where the run of base64 characters and whitespace from <paramref name="start"/> ends,
    /// not counting the whitespace after its last base64 character.</summary>
    private static int EndOfBase64(ReadOnlySpan<byte> field, int start)
    {
        var run = field[start..];
        var stop = run.IndexOfAnyExcept(Base64OrWhitespace);
        if (stop >= 0) run = run[..stop];
        var last = run.LastIndexOfAnyExcept(Whitespace);
        return last < 0 ? start : start + last + 1;
    }
}
