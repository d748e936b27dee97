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
}
