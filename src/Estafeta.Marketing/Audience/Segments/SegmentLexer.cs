using System.Globalization;
using System.Text;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>Splits a segment expression into tokens: identifiers, "strings", numbers, dates (2026-01-31),
/// durations (30d, 12h, 2w, 15m, 10s), the operators = != &lt;&gt; &lt; &lt;= &gt; &gt;= + -, parentheses, commas and colons.</summary>
internal static class SegmentLexer
{
    /// <summary>The longest duration: the span from the first to the last day a date can be (years 1 to 9999).</summary>
    public static readonly TimeSpan MaxDuration = DateTimeOffset.MaxValue.UtcDateTime.Date - DateTimeOffset.MinValue.UtcDateTime;

    public static List<SegmentToken> Tokenize(string text)
    {
        // Half of a surrogate pair cannot be put in Unicode NFC (string.Normalize throws) nor stored, and a JSON escape
        // (\ud800) is enough to send one; PostgreSQL refuses U+0000 in a parameter with an error of its own.
        if (StorableText.FaultAt(text, out var why) is var at and >= 0) throw new SegmentSyntaxException(why, at, text);

        var tokens = new List<SegmentToken>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            var start = i;
            switch (c)
            {
                case '(': tokens.Add(new(SegmentTokenKind.LeftParen, "(", null, i++)); continue;
                case ')': tokens.Add(new(SegmentTokenKind.RightParen, ")", null, i++)); continue;
                case ',': tokens.Add(new(SegmentTokenKind.Comma, ",", null, i++)); continue;
                case ':': tokens.Add(new(SegmentTokenKind.Colon, ":", null, i++)); continue;
                case '"' or '\'':
                    tokens.Add(ReadString(text, ref i));
                    continue;
                case '=' or '+' or '-':
                    tokens.Add(new(SegmentTokenKind.Operator, c.ToString(), null, i++));
                    continue;
                case '!' or '<' or '>':
                    var two = i + 1 < text.Length ? text.Substring(i, 2) : "";
                    if (two is "!=" or "<=" or ">=" or "<>")
                    {
                        tokens.Add(new(SegmentTokenKind.Operator, two == "<>" ? "!=" : two, null, i));
                        i += 2;
                        continue;
                    }

                    if (c == '!') throw new SegmentSyntaxException("'!' must be followed by '=' (use 'not' to negate)", i, text);
                    tokens.Add(new(SegmentTokenKind.Operator, c.ToString(), null, i++));
                    continue;
            }

            if (char.IsAsciiDigit(c))
            {
                tokens.Add(ReadNumber(text, ref i));
                continue;
            }

            if (char.IsLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsLetterOrDigit(text[i]) || text[i] == '_')) i++;
                tokens.Add(new(SegmentTokenKind.Identifier, text[start..i], text[start..i], start));
                continue;
            }

            throw new SegmentSyntaxException($"unexpected character '{c}'", i, text);
        }

        tokens.Add(new(SegmentTokenKind.End, "", null, text.Length));
        return tokens;
    }

    private static SegmentToken ReadString(string text, ref int i)
    {
        var start = i;
        var quote = text[i++];
        var value = new StringBuilder();
        while (i < text.Length && text[i] != quote)
        {
            if (text[i] == '\\' && i + 1 < text.Length)
            {
                i++;
            }

            value.Append(text[i++]);
        }

        if (i >= text.Length) throw new SegmentSyntaxException("this string has no closing quote", start, text);
        i++;
        return new(SegmentTokenKind.String, text[start..i], value.ToString(), start);
    }

    private static SegmentToken ReadNumber(string text, ref int i)
    {
        var start = i;
        // A date: 2026-01-31
        if (i + 10 <= text.Length && text[i + 4] == '-' && text[i + 7] == '-'
            && DateTime.TryParseExact(text.AsSpan(i, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            && (i + 10 == text.Length || !char.IsLetterOrDigit(text[i + 10])))
        {
            i += 10;
            return new(SegmentTokenKind.Date, text[start..i], new DateTimeOffset(date.Date, TimeSpan.Zero), start);
        }

        while (i < text.Length && (char.IsAsciiDigit(text[i]) || text[i] == '.')) i++;
        var number = text[start..i];
        if (!double.TryParse(number, NumberStyles.Float, CultureInfo.InvariantCulture, out var value))
        {
            throw new SegmentSyntaxException($"'{number}' is not a number", start, text);
        }

        if (i < text.Length && char.IsLetter(text[i]))
        {
            var unitStart = i;
            while (i < text.Length && char.IsLetter(text[i])) i++;
            var unit = text[unitStart..i];
            double? seconds = unit switch
            {
                "s" => value,
                "m" or "min" => value * 60,
                "h" => value * 3600,
                "d" => value * 86_400,
                "w" => value * 7 * 86_400,
                _ => null,
            };
            if (seconds is null) throw new SegmentSyntaxException($"'{unit}' is not a duration unit (s, m, h, d, w)", unitStart, text);
            // TimeSpan.FromSeconds throws an OverflowException past about 29,000 years; no date is that far from another.
            if (seconds > MaxDuration.TotalSeconds) throw new SegmentSyntaxException($"'{text[start..i]}' is longer than any span between two dates (at most {MaxDuration.Days / 7}w)", start, text);
            return new(SegmentTokenKind.Duration, text[start..i], TimeSpan.FromSeconds(seconds.Value), start);
        }

        return new(SegmentTokenKind.Number, number, value, start);
    }
}
