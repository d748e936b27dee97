namespace Estafeta.Mail.Outbound;

/// <summary>Enhanced mail system status codes (RFC 3463): class.subject.detail, read from the start of a text.</summary>
public static class EnhancedStatus
{
    /// <summary>Reads "d.ddd.ddd" at the start of <paramref name="text"/> (class 2, 4 or 5).</summary>
    public static bool TryRead(string text, out string status, out string rest)
    {
        status = "";
        rest = text;
        var length = Length(text);
        if (length == 0) return false;
        status = text[..length];
        rest = text[length..].TrimStart(' ', '\t');
        return true;
    }

    /// <summary>The length of the code at the start of <paramref name="text"/>, 0 when there is none.</summary>
    private static int Length(ReadOnlySpan<char> text)
    {
        if (text.Length < 5 || text[0] is not ('2' or '4' or '5') || text[1] != '.') return 0;
        var i = 2;
        var start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 3) i++;
        if (i == start || i >= text.Length || text[i] != '.') return 0;
        i++;
        start = i;
        while (i < text.Length && char.IsAsciiDigit(text[i]) && i - start < 3) i++;
        if (i == start || (i < text.Length && text[i] is not (' ' or '\t' or ';' or ',' or ')'))) return 0;
        return i;
    }

    /// <summary>Finds the first enhanced code anywhere in a text (bounce bodies), or null.</summary>
    public static string? Find(string text)
    {
        for (var i = 0; i + 5 <= text.Length; i++)
        {
            if (i > 0 && !(text[i - 1] is ' ' or '\t' or '(' or '#' or '<' or '\n' or ':' or '[' or '"' or '-')) continue;
            // Read in place: a copy of the rest of the text at each candidate took time growing with the square of its
            // length (seconds for a 300 KB bounce of spaces).
            if (text[i] is '4' or '5' && Length(text.AsSpan(i)) is > 0 and var length) return text.Substring(i, length);
        }
        return null;
    }

    /// <summary>The code a reply implies when the server gave no enhanced code.</summary>
    public static string Default(int code) => code switch
    {
        >= 200 and < 300 => "2.0.0",
        421 => "4.4.2",
        452 => "4.2.2",
        >= 400 and < 500 => "4.0.0",
        552 => "5.2.2",
        553 => "5.1.3",
        _ => "5.0.0",
    };
}
