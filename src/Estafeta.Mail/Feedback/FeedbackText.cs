using System.Text;

namespace Estafeta.Mail.Feedback;

/// <summary>
/// What the bounce and complaint parsers take from a report goes on into the outbound events (the database, the
/// logs, the screens that list them), and the report comes from anyone: its texts are made one bounded line, its
/// addresses are kept only when they look like addresses.
/// </summary>
internal static class FeedbackText
{
    /// <summary>The longest address kept (RFC 5321 §4.5.3.1: a 64-octet local part, a 255-octet domain).</summary>
    public const int MaxAddress = 320;

    /// <summary><paramref name="value"/> as one line of at most <paramref name="max"/> characters: each run of line breaks
    /// and other controls one space, a lone surrogate U+FFFD, cut short without splitting a pair; null when nothing is left.</summary>
    public static string? Line(string? value, int max)
    {
        if (value is null) return null;
        var b = new StringBuilder(Math.Min(value.Length, max + 1));
        for (var i = 0; i < value.Length && b.Length < max; i++)
        {
            var c = value[i];
            if (char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]))
            {
                if (b.Length + 2 > max) break;
                b.Append(c).Append(value[++i]);
            }
            else if (char.IsSurrogate(c)) b.Append('\ufffd');
            else if (IsControl(c))
            {
                if (b.Length > 0 && b[^1] != ' ') b.Append(' ');
            }
            else b.Append(c);
        }
        var line = b.ToString().Trim();
        return line.Length == 0 ? null : line;
    }

    /// <summary>The address in <paramref name="value"/> (angle brackets and spaces around it removed) when it looks like
    /// one: a local part, @, a domain, nothing that ends or splits a field, not too long; else null.</summary>
    public static string? Address(string? value)
    {
        if (value is null) return null;
        var address = value.Trim().Trim('<', '>').Trim();
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1 || address.Length > MaxAddress) return null;
        for (var i = 0; i < address.Length; i++)
        {
            var c = address[i];
            if (char.IsHighSurrogate(c) && i + 1 < address.Length && char.IsLowSurrogate(address[i + 1])) i++;
            else if (IsControl(c) || char.IsWhiteSpace(c) || char.IsSurrogate(c) || c is '<' or '>' or ',' or ';') return null;
        }
        return address;
    }

    /// <summary>C0 and C1 controls, DEL and the Unicode line and paragraph separators.</summary>
    private static bool IsControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
