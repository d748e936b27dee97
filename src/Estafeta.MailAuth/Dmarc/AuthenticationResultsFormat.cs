using System.Text;

namespace Estafeta.MailAuth.Dmarc;

/// <summary>Quoting rules of RFC 8601 (values are RFC 2045 tokens or quoted-strings; comments escape
/// parentheses and backslashes).</summary>
public static class AuthenticationResultsFormat
{
    private const string TSpecials = "()<>@,;:\\\"/[]?=";

    /// <summary>True when <paramref name="value"/> is an RFC 2045 token.</summary>
    public static bool IsToken(string value)
    {
        if (value.Length == 0) return false;
        foreach (var c in value)
        {
            if (c <= ' ' || c >= 0x7f || TSpecials.Contains(c, StringComparison.Ordinal)) return false;
        }
        return true;
    }

    /// <summary>A value as a token, or quoted.</summary>
    public static string Value(string value) => IsToken(value) ? value : Quote(value);

    /// <summary>A property value: a token, [local-part]@domain or domain-name as is, else quoted.</summary>
    public static string PropertyValue(string value)
    {
        if (IsToken(value)) return value;
        var at = value.LastIndexOf('@');
        if (at >= 0 && IsDotAtom(value[..at], allowEmpty: true) && IsDotAtom(value[(at + 1)..], allowEmpty: false)) return value;
        return Quote(value);
    }

    /// <summary>A quoted-string. A control character other than HTAB (CR, LF, NUL and the like, which a value read
    /// from a message may hold) cannot be written in one, and becomes a space.</summary>
    public static string Quote(string value)
    {
        var text = new StringBuilder(value.Length + 2).Append('"');
        foreach (var c in value)
        {
            if (c is '"' or '\\') text.Append('\\');
            text.Append(c != '\t' && IsControl(c) ? ' ' : c);
        }
        return text.Append('"').ToString();
    }

    /// <summary>Text safe inside "( ... )"; control characters become spaces, as in <see cref="Quote"/>.</summary>
    public static string EscapeComment(string text)
    {
        var escaped = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            if (c is '(' or ')' or '\\') escaped.Append('\\');
            escaped.Append(IsControl(c) ? ' ' : c);
        }
        return escaped.ToString();
    }

    /// <summary>US-ASCII control characters (RFC 5234 CTL), which no part of a header field may hold but HTAB as
    /// white space.</summary>
    private static bool IsControl(char c) => c is < ' ' or '\x7f';

    private static bool IsDotAtom(string text, bool allowEmpty)
    {
        if (text.Length == 0) return allowEmpty;
        if (text[0] == '.' || text[^1] == '.' || text.Contains("..", StringComparison.Ordinal)) return false;
        foreach (var c in text)
        {
            if (!char.IsAsciiLetterOrDigit(c) && !"!#$%&'*+-/=?^_`{|}~.".Contains(c, StringComparison.Ordinal)) return false;
        }
        return true;
    }
}
