using System.Globalization;
using System.Text;

namespace Estafeta.MailAuth.Spf;

/// <summary>Macro expansion (RFC 7208 §7.3, §7.4): letter values, the digit and reverse transformers,
/// delimiters, and URL escaping of upper-case letters.</summary>
internal static class SpfMacroExpansion
{
    public static string Expand(SpfMacroString macroString, SpfCheck check, string domain, string? validatedName)
    {
        if (macroString.Literal is { } literal)
        {
            return literal;
        }

        var text = new StringBuilder();
        foreach (var part in macroString.Parts)
        {
            if (!part.IsMacro)
            {
                text.Append(part.Literal);
                continue;
            }

            var value = Transform(Value(part.Letter, check, domain, validatedName), part);
            if (part.UrlEscape)
            {
                AppendEscaped(text, value);
            }
            else
            {
                text.Append(value);
            }
        }

        return text.ToString();
    }

    private static string Value(char letter, SpfCheck check, string domain, string? validatedName) => letter switch
    {
        's' => check.Sender,
        'l' => check.LocalPart,
        'o' => check.SenderDomain,
        'd' => domain,
        'i' => check.DottedAddress,
        'p' => validatedName ?? "unknown",
        'v' => check.IsIp4 ? "in-addr" : "ip6",
        'h' => check.Helo,
        'c' => check.Address.ToString(),
        'r' => check.ReceivingHost,
        't' => check.Now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
        _ => string.Empty,
    };

    /// <summary>Split on the delimiters, optionally reverse, keep the rightmost parts, join with dots.</summary>
    private static string Transform(string value, SpfMacroPart part)
    {
        if (part.TakesWholeValue)
        {
            return value;
        }

        var pieces = value.Split((part.Delimiters ?? ".").ToCharArray());
        if (part.Reverse)
        {
            Array.Reverse(pieces);
        }

        var take = part.Digits == 0 ? pieces.Length : Math.Min(part.Digits, pieces.Length);
        return string.Join('.', pieces, pieces.Length - take, take);
    }

    /// <summary>RFC 3986 escaping of everything but the unreserved characters, from UTF-8 octets.</summary>
    private static void AppendEscaped(StringBuilder text, string value)
    {
        const string hex = "0123456789ABCDEF";
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            {
                text.Append(c);
            }
            else
            {
                text.Append('%').Append(hex[b >> 4]).Append(hex[b & 0xF]);
            }
        }
    }
}
