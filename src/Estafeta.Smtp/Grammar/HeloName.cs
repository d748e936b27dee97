using System.Text;
using System.Text.Unicode;

namespace Estafeta.Smtp.Grammar;

/// <summary>
/// The argument of HELO/EHLO. RFC 5321 asks for a domain or address literal, but many clients send
/// something else and §4.1.4 forbids refusing mail over it: the first word is taken as it is, as long
/// as it is printable (UTF-8 allowed, C1 controls not) and at most 255 bytes.
/// </summary>
internal static class HeloName
{
    public const int MaxLength = 255;

    public static bool TryParse(ReadOnlySpan<byte> argument, out string name)
    {
        name = "";
        var s = argument.Trim((byte)' ');
        var space = s.IndexOf((byte)' ');
        if (space >= 0) s = s[..space];
        if (s.IsEmpty || s.Length > MaxLength) return false;
        foreach (var b in s)
            if (b < 0x21 || b == 0x7f) return false;
        if (!Utf8.IsValid(s) || SmtpChars.HasC1Control(s)) return false;
        name = Encoding.UTF8.GetString(s);
        return true;
    }
}
