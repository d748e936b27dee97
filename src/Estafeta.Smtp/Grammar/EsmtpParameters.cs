using System.Text;

namespace Estafeta.Smtp.Grammar;

/// <summary>One "keyword[=value]" after a path (RFC 5321 §4.1.2 esmtp-param); the keyword in upper case.</summary>
internal readonly record struct EsmtpParameter(string Keyword, string? Value);

/// <summary>
/// The parameters after a MAIL or RCPT path: <c>*( SP esmtp-param )</c>, where
/// <c>esmtp-keyword = (ALPHA / DIGIT) *(ALPHA / DIGIT / "-")</c> and <c>esmtp-value = 1*(%d33-60 / %d62-126)</c>.
/// Runs of spaces are tolerated. Malformed or repeated parameters are refused with 555 5.5.4.
/// </summary>
internal static class EsmtpParameters
{
    public static bool TryParse(ReadOnlySpan<byte> s, List<EsmtpParameter> parameters, out SmtpReply error)
    {
        var i = 0;
        while (true)
        {
            while (i < s.Length && s[i] == ' ') i++;
            if (i == s.Length)
            {
                error = default;
                return true;
            }
            var start = i;
            while (i < s.Length && s[i] != ' ') i++;
            var token = s[start..i];
            var equals = token.IndexOf((byte)'=');
            var keyword = equals < 0 ? token : token[..equals];
            if (keyword.IsEmpty || !char.IsAsciiLetterOrDigit((char)keyword[0]) || keyword.ContainsAnyExcept(KeywordBytes))
            {
                error = ParameterError($"Malformed parameter \"{Printable(token)}\"");
                return false;
            }
            var name = Encoding.ASCII.GetString(keyword).ToUpperInvariant();
            string? value = null;
            if (equals >= 0)
            {
                var raw = token[(equals + 1)..];
                foreach (var b in raw)
                {
                    if (!SmtpChars.IsEsmtpValue(b))
                    {
                        error = ParameterError($"Malformed value of parameter {name}");
                        return false;
                    }
                }
                if (raw.IsEmpty)
                {
                    error = ParameterError($"Empty value of parameter {name}");
                    return false;
                }
                value = Encoding.ASCII.GetString(raw);
            }
            foreach (var p in parameters)
            {
                if (p.Keyword == name)
                {
                    error = ParameterError($"Duplicate parameter {name}");
                    return false;
                }
            }
            parameters.Add(new EsmtpParameter(name, value));
        }
    }

    public static SmtpReply ParameterError(string text) => new(555, "5.5.4", text);

    public static SmtpReply Unsupported(string keyword) => ParameterError($"Unsupported parameter {keyword}");

    private static readonly System.Buffers.SearchValues<byte> KeywordBytes =
        System.Buffers.SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"u8);

    private static string Printable(ReadOnlySpan<byte> token)
    {
        var b = new StringBuilder(Math.Min(token.Length, 40));
        foreach (var c in token[..Math.Min(token.Length, 40)]) b.Append(SmtpChars.IsPrintableAscii(c) ? (char)c : '?');
        return b.ToString();
    }
}
