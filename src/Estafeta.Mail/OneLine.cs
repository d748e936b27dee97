using System.Text;

namespace Estafeta.Mail;

/// <summary>Text from outside (a remote server's reply, a bounce or complaint report) made fit for one log line, a database
/// row, a DSN header or a screen: each run of line breaks and other controls one space, a lone surrogate U+FFFD, trimmed,
/// and cut short without splitting a surrogate pair.</summary>
public static class OneLine
{
    /// <summary><paramref name="value"/> as one line of at most <paramref name="max"/> characters; null when nothing is left.</summary>
    public static string? Of(string? value, int max)
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

    /// <summary>C0 and C1 controls, DEL and the Unicode line and paragraph separators.</summary>
    public static bool IsControl(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';
}
