using System.Buffers;

namespace Estafeta.Smtp.Grammar;

/// <summary>The character classes of RFC 5321 §4.1.2 and RFC 1869/3461, as bytes. Bytes 0x80 and above
/// are UTF-8 (RFC 6531); whether they are allowed is decided by the caller.</summary>
internal static class SmtpChars
{
    private static readonly SearchValues<byte> Atext =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+-/=?^_`{|}~"u8);

    public static bool IsAtext(byte b) => Atext.Contains(b) || b >= 0x80;

    public static bool IsLetDig(byte b) => char.IsAsciiLetterOrDigit((char)b) || b >= 0x80;

    /// <summary>qtextSMTP: printable ASCII but DQUOTE and backslash.</summary>
    public static bool IsQtext(byte b) => b is 32 or 33 or (>= 35 and <= 91) or (>= 93 and <= 126) || b >= 0x80;

    public static bool IsPrintableAscii(byte b) => b is >= 32 and <= 126;

    /// <summary>esmtp-value: any printable ASCII but "=" and space.</summary>
    public static bool IsEsmtpValue(byte b) => b is (>= 33 and <= 60) or (>= 62 and <= 126);

    public static bool IsKeyword(byte b) => char.IsAsciiLetterOrDigit((char)b) || b == '-';

    /// <summary>Whether valid UTF-8 that is meant to be an address holds a control character: C0 (CR, LF, NUL…), DEL or
    /// C1. xtext (RFC 3461 §4) can carry any octet, and such an address would go on into headers and replies.</summary>
    public static bool HasControl(ReadOnlySpan<byte> utf8) =>
        utf8.IndexOfAnyInRange((byte)0, (byte)0x1F) >= 0 || utf8.Contains((byte)0x7F) || HasC1Control(utf8);

    /// <summary>Whether valid UTF-8 holds a C1 control (U+0080 to U+009F, such as NEL U+0085), which RFC 5198
    /// keeps out of text on the wire and no IDNA label allows. In valid UTF-8 they are exactly the pairs
    /// 0xC2 0x80-0x9F, since 0xC2 is only ever a lead byte.</summary>
    public static bool HasC1Control(ReadOnlySpan<byte> utf8)
    {
        for (var i = 0; i + 1 < utf8.Length; i++)
            if (utf8[i] == 0xC2 && utf8[i + 1] is >= 0x80 and <= 0x9F) return true;
        return false;
    }
}
