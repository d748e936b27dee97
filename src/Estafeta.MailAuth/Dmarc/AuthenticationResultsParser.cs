using System.Globalization;
using System.Text;

namespace Estafeta.MailAuth.Dmarc;

/// <summary>The RFC 8601 §2.2 grammar, read leniently where real fields stray (missing ptype,
/// stray spaces around "."):
/// <code>
/// payload  = [CFWS] authserv-id [CFWS version] ( ";" "none" / 1*( ";" resinfo ) ) [";"]
/// resinfo  = method ["/" version] "=" result [reasonspec] *propspec
/// propspec = ptype "." property "=" pvalue
/// </code>
/// Comments (nested, with backslash escapes) are allowed wherever CFWS is.</summary>
internal sealed class AuthenticationResultsParser
{
    private readonly string text;
    private int position;
    private string? lastComment;

    private AuthenticationResultsParser(string text) => this.text = text;

    public static bool TryParse(string value, bool expectInstance, out AuthenticationResultsHeader? header, out string error)
    {
        header = null;
        var parser = new AuthenticationResultsParser(value);
        try
        {
            header = parser.ParseHeader(expectInstance);
            error = string.Empty;
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    public static bool TryParseResinfo(string value, out AuthenticationResult? result, out string error)
    {
        result = null;
        var parser = new AuthenticationResultsParser(value);
        try
        {
            result = parser.ParseResinfo();
            parser.SkipCfws();
            if (!parser.AtEnd) throw parser.Error("unexpected text after the result");
            error = string.Empty;
            return true;
        }
        catch (FormatException e)
        {
            error = e.Message;
            return false;
        }
    }

    private bool AtEnd => position >= text.Length;

    private AuthenticationResultsHeader ParseHeader(bool expectInstance)
    {
        int? instance = null;
        if (expectInstance)
        {
            SkipCfws();
            var name = ReadKeyword("i=");
            if (!name.Equals("i", StringComparison.OrdinalIgnoreCase)) throw Error("expected i= first");
            Expect('=');
            SkipCfws();
            var digits = ReadWhile(char.IsAsciiDigit);
            if (!int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var i) || i is < 1 or > 50)
                throw Error("i= must be a number from 1 to 50");
            instance = i;
            SkipCfws();
            Expect(';');
        }

        SkipCfws();
        var authservId = ReadValue("authserv-id");
        SkipCfws();
        string? version = null;
        if (!AtEnd && char.IsAsciiDigit(text[position])) version = ReadWhile(char.IsAsciiDigit);
        SkipCfws();

        var results = new List<AuthenticationResult>();
        while (!AtEnd)
        {
            Expect(';');
            SkipCfws();
            if (AtEnd) break;
            var start = position;
            var method = ReadKeyword("method");
            if (method.Equals("none", StringComparison.OrdinalIgnoreCase) && results.Count == 0 && PeekAfterCfws() is null or ';')
            {
                SkipCfws();
                continue;
            }
            position = start;
            results.Add(ParseResinfo());
            SkipCfws();
        }
        return new AuthenticationResultsHeader { AuthservId = authservId, Version = version, Results = results, Instance = instance };
    }

    private AuthenticationResult ParseResinfo()
    {
        SkipCfws();
        var method = ReadKeyword("method");
        SkipCfws();
        string? methodVersion = null;
        if (Peek() == '/')
        {
            position++;
            SkipCfws();
            methodVersion = ReadWhile(char.IsAsciiDigit);
            if (methodVersion.Length == 0) throw Error("expected a method version after \"/\"");
            SkipCfws();
        }
        Expect('=');
        SkipCfws();
        var result = ReadKeyword("result");
        lastComment = null;
        SkipCfws();
        var comment = lastComment;
        string? reason = null;
        var properties = new List<AuthenticationResultProperty>();
        while (!AtEnd && text[position] != ';')
        {
            var name = ReadKeyword("property type");
            SkipCfws();
            var property = string.Empty;
            if (Peek() == '.')
            {
                position++;
                SkipCfws();
                property = ReadKeyword("property");
                SkipCfws();
            }
            Expect('=');
            SkipCfws();
            var value = ReadPropertyValue();
            if (property.Length == 0 && name.Equals("reason", StringComparison.OrdinalIgnoreCase) && reason is null && properties.Count == 0) reason = value;
            else properties.Add(property.Length == 0 ? new AuthenticationResultProperty(string.Empty, name, value) : new AuthenticationResultProperty(name, property, value));
            lastComment = null;
            SkipCfws();
            comment ??= lastComment;
        }
        return new AuthenticationResult { Method = method, MethodVersion = methodVersion, Result = result, Reason = reason, Comment = comment, Properties = properties };
    }

    /// <summary>Keyword = ALPHA / DIGIT / "-" / "_" (RFC 8601 uses ldh-str; "_" appears in the wild).</summary>
    private string ReadKeyword(string what)
    {
        var keyword = ReadWhile(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_');
        if (keyword.Length == 0) throw Error($"expected a {what}");
        return keyword;
    }

    /// <summary>value = token / quoted-string.</summary>
    private string ReadValue(string what)
    {
        if (Peek() == '"') return ReadQuoted();
        var value = ReadWhile(c => c > ' ' && c is not ';' and not '(' and not '"');
        if (value.Length == 0) throw Error($"expected the {what}");
        return value;
    }

    /// <summary>pvalue = value / [[local-part] "@"] domain-name: anything up to whitespace, ";" or "(".</summary>
    private string ReadPropertyValue()
    {
        if (Peek() == '"') return ReadQuoted();
        var value = ReadWhile(c => c > ' ' && c is not ';' and not '(' and not ')');
        return value;
    }

    private string ReadQuoted()
    {
        var start = position;
        position++;
        var value = new StringBuilder();
        while (!AtEnd)
        {
            var c = text[position++];
            if (c == '"') return value.ToString();
            if (c == '\\' && !AtEnd) c = text[position++];
            if (c is '\r' or '\n') continue;
            value.Append(c);
        }
        position = start;
        throw Error("unterminated quoted string");
    }

    /// <summary>Skips folding whitespace and comments; the text of the last comment is kept.</summary>
    private void SkipCfws()
    {
        while (!AtEnd)
        {
            var c = text[position];
            if (c is ' ' or '\t' or '\r' or '\n')
            {
                position++;
            }
            else if (c == '(')
            {
                lastComment = ReadComment();
            }
            else
            {
                return;
            }
        }
    }

    private string ReadComment()
    {
        var start = position;
        var depth = 0;
        var content = new StringBuilder();
        while (!AtEnd)
        {
            var c = text[position++];
            if (c == '\\' && !AtEnd)
            {
                content.Append(text[position++]);
                continue;
            }
            if (c == '(')
            {
                if (depth++ > 0) content.Append(c);
                continue;
            }
            if (c == ')')
            {
                if (--depth == 0) return content.ToString().Trim();
                content.Append(c);
                continue;
            }
            content.Append(c is '\r' or '\n' ? ' ' : c);
        }
        position = start;
        throw Error("unterminated comment");
    }

    private char? Peek() => AtEnd ? null : text[position];

    private char? PeekAfterCfws()
    {
        var saved = position;
        var comment = lastComment;
        SkipCfws();
        var next = Peek();
        position = saved;
        lastComment = comment;
        return next;
    }

    private void Expect(char c)
    {
        if (Peek() != c) throw Error(AtEnd ? $"expected \"{c}\" but the field ended" : $"expected \"{c}\" but found \"{text[position]}\"");
        position++;
    }

    private string ReadWhile(Func<char, bool> accept)
    {
        var start = position;
        while (!AtEnd && accept(text[position])) position++;
        return text[start..position];
    }

    private FormatException Error(string message) =>
        new(string.Create(CultureInfo.InvariantCulture, $"at offset {position}: {message}"));
}
