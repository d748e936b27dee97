using System.Globalization;
using System.Text;

namespace Estafeta.MailAuth.Spf;

/// <summary>Where a macro-string appears; it decides which characters and macro letters are allowed.</summary>
internal enum SpfMacroPlace
{
    /// <summary>A domain-spec of a mechanism, <c>redirect=</c> or <c>exp=</c>: must end in a macro or a top label.</summary>
    DomainSpec,
    /// <summary>The value of an unknown modifier: any macro-string, possibly empty.</summary>
    ModifierValue,
    /// <summary>Explanation text from the <c>exp=</c> TXT record: spaces and the c, r, t macros allowed.</summary>
    Explanation,
}

/// <summary>The macro-string grammar of RFC 7208 §7.1, written over characters:
/// <code>
/// macro-string = *( macro-expand / macro-literal )
/// macro-expand = ( "%{" macro-letter transformers *delimiter "}" ) / "%%" / "%_" / "%-"
/// macro-literal = %x21-24 / %x26-7E
/// macro-letter = "s" / "l" / "o" / "d" / "i" / "p" / "h" / "c" / "r" / "t" / "v"
/// transformers = *DIGIT [ "r" ]
/// delimiter = "." / "-" / "+" / "," / "/" / "_" / "="
/// domain-end = ( "." toplabel [ "." ] ) / macro-expand
/// </code></summary>
internal static class SpfMacroParser
{
    private const string Delimiters = ".-+,/_=";
    private const int MaxDigits = 255;

    /// <summary>Parses <paramref name="text"/>[<paramref name="start"/>..<paramref name="end"/>);
    /// positions in errors are indices into <paramref name="text"/>.</summary>
    public static SpfMacroString? Parse(string text, int start, int end, SpfMacroPlace place, out SpfSyntaxError? error)
    {
        error = null;
        var parts = new List<SpfMacroPart>();
        var literal = new StringBuilder();
        var endsWithMacroExpand = false;
        var i = start;
        while (i < end)
        {
            var c = text[i];
            if (c != '%')
            {
                if (!IsLiteral(c, place))
                {
                    error = new SpfSyntaxError(text, i, $"character {Describe(c)} is not allowed here");
                    return null;
                }

                literal.Append(c);
                endsWithMacroExpand = false;
                i++;
                continue;
            }

            if (i + 1 >= end)
            {
                error = new SpfSyntaxError(text, i, "'%' must be followed by '{', '%', '_' or '-'");
                return null;
            }

            endsWithMacroExpand = true;
            switch (text[i + 1])
            {
                case '%':
                    literal.Append('%');
                    i += 2;
                    continue;
                case '_':
                    literal.Append(' ');
                    i += 2;
                    continue;
                case '-':
                    literal.Append("%20");
                    i += 2;
                    continue;
                case '{':
                    break;
                default:
                    error = new SpfSyntaxError(text, i, "'%' must be followed by '{', '%', '_' or '-'");
                    return null;
            }

            var macro = ParseMacro(text, i, end, place, out var next, out error);
            if (macro is null)
            {
                return null;
            }

            if (literal.Length > 0)
            {
                parts.Add(SpfMacroPart.Text(literal.ToString()));
                literal.Clear();
            }

            parts.Add(macro.Value);
            i = next;
        }

        if (literal.Length > 0)
        {
            parts.Add(SpfMacroPart.Text(literal.ToString()));
        }

        if (place == SpfMacroPlace.DomainSpec && !endsWithMacroExpand && !EndsWithTopLabel(text, start, end, out var at, out var problem))
        {
            error = new SpfSyntaxError(text, at, problem);
            return null;
        }

        return new SpfMacroString(text[start..end], [.. parts]);
    }

    /// <summary>Parses <c>%{...}</c> starting at the '%' at <paramref name="at"/>.</summary>
    private static SpfMacroPart? ParseMacro(string text, int at, int end, SpfMacroPlace place, out int next, out SpfSyntaxError? error)
    {
        next = at;
        error = null;
        var i = at + 2;
        if (i >= end)
        {
            error = new SpfSyntaxError(text, at, "unterminated macro: expected a macro letter and '}'");
            return null;
        }

        var letter = text[i];
        if (!IsMacroLetter(char.ToLowerInvariant(letter), place))
        {
            error = new SpfSyntaxError(text, i, char.ToLowerInvariant(letter) is 'c' or 'r' or 't'
                ? $"macro letter '{letter}' is only allowed in explanation text"
                : $"unknown macro letter {Describe(letter)}");
            return null;
        }

        i++;
        var digits = 0;
        var digitsStart = i;
        while (i < end && char.IsAsciiDigit(text[i]))
        {
            digits = Math.Min(MaxDigits, (digits * 10) + (text[i] - '0'));
            i++;
        }

        if (i > digitsStart && digits == 0)
        {
            error = new SpfSyntaxError(text, digitsStart, "the number of parts in a macro must not be zero");
            return null;
        }

        var reverse = false;
        if (i < end && text[i] is 'r' or 'R')
        {
            reverse = true;
            i++;
        }

        var delimitersStart = i;
        while (i < end && Delimiters.Contains(text[i]))
        {
            i++;
        }

        var delimiters = i > delimitersStart ? text[delimitersStart..i] : null;
        if (i >= end || text[i] != '}')
        {
            error = new SpfSyntaxError(text, Math.Min(i, end - 1), i >= end
                ? "unterminated macro: expected '}'"
                : $"character {Describe(text[i])} is not allowed in a macro (expected digits, 'r', delimiters or '}}')");
            return null;
        }

        next = i + 1;
        return new SpfMacroPart(null, char.ToLowerInvariant(letter), char.IsAsciiLetterUpper(letter), digits, reverse, delimiters);
    }

    /// <summary>domain-end = "." toplabel [ "." ], with
    /// toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum ).</summary>
    private static bool EndsWithTopLabel(string text, int start, int end, out int at, out string problem)
    {
        at = start;
        problem = string.Empty;
        if (end == start)
        {
            problem = "a domain name is required here";
            return false;
        }

        var labelEnd = text[end - 1] == '.' ? end - 1 : end;
        var dot = labelEnd > start ? text.LastIndexOf('.', labelEnd - 1, labelEnd - start) : -1;
        if (dot < 0)
        {
            problem = "the domain must have at least two labels or end in a macro";
            return false;
        }

        var labelStart = dot + 1;
        at = labelStart;
        if (labelStart == labelEnd)
        {
            problem = "the domain must end in a top-level label";
            return false;
        }

        var hasAlpha = false;
        for (var i = labelStart; i < labelEnd; i++)
        {
            var c = text[i];
            if (c == '-')
            {
                continue;
            }

            if (!char.IsAsciiLetterOrDigit(c))
            {
                at = i;
                problem = $"character {Describe(c)} is not allowed in a top-level label";
                return false;
            }

            hasAlpha |= char.IsAsciiLetter(c);
        }

        if (text[labelStart] == '-' || text[labelEnd - 1] == '-')
        {
            problem = "a top-level label cannot begin or end with '-'";
            return false;
        }

        var hasDash = text.AsSpan(labelStart, labelEnd - labelStart).Contains('-');
        if (!hasAlpha && !hasDash)
        {
            problem = "a top-level label cannot be all numeric";
            return false;
        }

        return true;
    }

    private static bool IsLiteral(char c, SpfMacroPlace place) =>
        c is >= '!' and <= '~' || (c == ' ' && place == SpfMacroPlace.Explanation);

    private static bool IsMacroLetter(char lower, SpfMacroPlace place) => lower switch
    {
        's' or 'l' or 'o' or 'd' or 'i' or 'p' or 'h' or 'v' => true,
        'c' or 'r' or 't' => place == SpfMacroPlace.Explanation,
        _ => false,
    };

    internal static string Describe(char c) =>
        c is > ' ' and <= '~' ? $"'{c}'" : string.Create(CultureInfo.InvariantCulture, $"U+{(int)c:X4}");
}
