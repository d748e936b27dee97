using System.Globalization;

namespace Estafeta.Cli;

/// <summary>Ages and durations on the command line: <c>90s</c>, <c>15m</c>, <c>2h</c>, <c>5d</c> (a bare number is seconds).</summary>
public static class DurationParser
{
    public static TimeSpan? Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        var t = text.Trim().ToLowerInvariant();
        var unit = char.IsAsciiLetter(t[^1]) ? t[^1] : 's';
        var number = char.IsAsciiLetter(t[^1]) ? t[..^1] : t;
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var n) || n < 0)
            throw new FormatException($"'{text}' is not a duration; use for example 90s, 15m, 2h or 5d");
        return unit switch
        {
            's' => TimeSpan.FromSeconds(n),
            'm' => TimeSpan.FromMinutes(n),
            'h' => TimeSpan.FromHours(n),
            'd' => TimeSpan.FromDays(n),
            _ => throw new FormatException($"'{text}' is not a duration; use for example 90s, 15m, 2h or 5d"),
        };
    }

    public static string Format(TimeSpan t) => t.TotalDays >= 1 ? $"{(int)t.TotalDays}d{t.Hours}h" : t.TotalHours >= 1 ? $"{(int)t.TotalHours}h{t.Minutes}m" : t.TotalMinutes >= 1 ? $"{(int)t.TotalMinutes}m{t.Seconds}s" : $"{(int)t.TotalSeconds}s";
}
