using System.Globalization;
using System.Text;

namespace Estafeta.Imap.Grammar;

/// <summary>The date forms of RFC 9051 §9: date-time "dd-Mon-yyyy hh:mm:ss +zzzz" (INTERNALDATE, APPEND) and
/// date "d-Mon-yyyy" (SEARCH).</summary>
internal static class ImapDate
{
    private static readonly string[] Months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

    public static string Format(DateTimeOffset value)
    {
        var offset = value.Offset;
        var sign = offset < TimeSpan.Zero ? '-' : '+';
        var abs = offset.Duration();
        return string.Create(CultureInfo.InvariantCulture,
            $"{value.Day:00}-{Months[value.Month - 1]}-{value.Year:0000} {value.Hour:00}:{value.Minute:00}:{value.Second:00} {sign}{abs.Hours:00}{abs.Minutes:00}");
    }

    /// <summary>Reads a quoted date-time.</summary>
    public static DateTimeOffset? ReadDateTime(Tokenizer t)
    {
        if (t.Peek() != '"')
        {
            t.Fail("Expected a quoted date-time");
            return null;
        }
        var text = Encoding.ASCII.GetString(t.StringBytes());
        if (!t.Ok) return null;
        if (text.Length == 26 && text[0] == ' ') text = "0" + text[1..];
        if (text.Length != 26 || text[2] != '-' || text[6] != '-' || text[11] != ' ' || text[20] != ' '
            || !TryDate(text[..11], out var date)
            || !TimeSpan.TryParseExact(text[12..20], "hh\\:mm\\:ss", CultureInfo.InvariantCulture, out var time)
            || text[21] is not ('+' or '-')
            || !int.TryParse(text.AsSpan(22, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var zh)
            || !int.TryParse(text.AsSpan(24, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var zm) || zh > 14 || zm > 59)
        {
            t.Fail("Invalid date-time; expected \"dd-Mon-yyyy hh:mm:ss +zzzz\"");
            return null;
        }
        var offset = new TimeSpan(zh, zm, 0) * (text[21] == '-' ? -1 : 1);
        var local = date.Add(time);
        // A DateTimeOffset holds zones up to 14 hours and instants in the years 1 to 9999: "+1459", or a zone that moves
        // the first or last hours of that range outside it, is no date-time here rather than an exception.
        var utcTicks = local.Ticks - offset.Ticks;
        if (offset.Duration() > TimeSpan.FromHours(14) || utcTicks < DateTime.MinValue.Ticks || utcTicks > DateTime.MaxValue.Ticks)
        {
            t.Fail("Invalid date-time; the zone is out of range");
            return null;
        }
        return new DateTimeOffset(local, offset);
    }

    /// <summary>Reads a SEARCH date, quoted or not.</summary>
    public static DateOnly ReadDate(Tokenizer t)
    {
        var text = t.Peek() == '"' ? Encoding.ASCII.GetString(t.StringBytes()) : t.Atom();
        if (!t.Ok) return default;
        if (!TryDate(text, out var date))
        {
            t.Fail("Invalid date; expected d-Mon-yyyy");
            return default;
        }
        return DateOnly.FromDateTime(date);
    }

    private static bool TryDate(string text, out DateTime date)
    {
        date = default;
        var parts = text.Trim().Split('-');
        if (parts.Length != 3 || parts[0].Length is < 1 or > 2 || parts[2].Length != 4) return false;
        var month = Array.FindIndex(Months, m => m.Equals(parts[1], StringComparison.OrdinalIgnoreCase));
        if (month < 0 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || year < 1 || day < 1 || day > DateTime.DaysInMonth(year, month + 1)) return false;
        date = new DateTime(year, month + 1, day, 0, 0, 0, DateTimeKind.Unspecified);
        return true;
    }
}
