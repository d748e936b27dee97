using System.Text;

namespace Estafeta.Imap.Mime;

/// <summary>
/// Parses an address header (RFC 5322 §3.4) into ENVELOPE addresses over the raw octets, keeping display
/// names as written (encoded-words are not decoded, as other IMAP servers do). Comments are skipped; malformed
/// parts are kept as far as they can be understood.
/// </summary>
internal static class AddressParser
{
    private enum Kind { Word, Quoted, Special, DomainLiteral }

    private readonly record struct Token(Kind Kind, byte[] Value)
    {
        public bool Is(char c) => Kind == Kind.Special && Value[0] == c;
    }

    public static List<EnvelopeAddress> Parse(ReadOnlySpan<byte> raw)
    {
        var tokens = Tokenize(raw);
        var result = new List<EnvelopeAddress>();
        var i = 0;
        while (i < tokens.Count)
        {
            if (tokens[i].Is(',')) { i++; continue; }
            ParseAddress(tokens, ref i, result, inGroup: false);
        }
        return result;
    }

    private static void ParseAddress(List<Token> tokens, ref int i, List<EnvelopeAddress> result, bool inGroup)
    {
        var words = new List<Token>();
        while (i < tokens.Count)
        {
            var token = tokens[i];
            if (token.Is('<'))
            {
                i++;
                var (route, mailbox, host) = ParseAngle(tokens, ref i);
                result.Add(new EnvelopeAddress(words.Count == 0 ? null : Phrase(words), route, mailbox, host));
                SkipTo(tokens, ref i, inGroup);
                return;
            }
            if (token.Is(':') && !inGroup)
            {
                i++;
                result.Add(new EnvelopeAddress(null, null, Phrase(words), null));
                while (i < tokens.Count && !tokens[i].Is(';'))
                {
                    if (tokens[i].Is(',')) { i++; continue; }
                    ParseAddress(tokens, ref i, result, inGroup: true);
                }
                if (i < tokens.Count) i++;
                result.Add(new EnvelopeAddress(null, null, null, null));
                return;
            }
            if (token.Is('@'))
            {
                i++;
                var host = Domain(tokens, ref i);
                result.Add(new EnvelopeAddress(null, null, LocalPart(words), host));
                SkipTo(tokens, ref i, inGroup);
                return;
            }
            if (token.Is(',') || (inGroup && token.Is(';'))) break;
            words.Add(token);
            i++;
        }
        if (words.Count > 0) result.Add(new EnvelopeAddress(null, null, LocalPart(words), null));
    }

    private static (byte[]? Route, byte[]? Mailbox, byte[]? Host) ParseAngle(List<Token> tokens, ref int i)
    {
        byte[]? route = null;
        if (i < tokens.Count && tokens[i].Is('@'))
        {
            var text = new List<byte>();
            while (i < tokens.Count && !tokens[i].Is(':') && !tokens[i].Is('>'))
            {
                text.AddRange(tokens[i].Value);
                i++;
            }
            if (i < tokens.Count && tokens[i].Is(':')) i++;
            route = [.. text];
        }
        var local = new List<Token>();
        while (i < tokens.Count && !tokens[i].Is('@') && !tokens[i].Is('>')) local.Add(tokens[i++]);
        byte[]? host = null;
        if (i < tokens.Count && tokens[i].Is('@'))
        {
            i++;
            host = Domain(tokens, ref i);
        }
        if (i < tokens.Count && tokens[i].Is('>')) i++;
        return (route, local.Count == 0 ? [] : LocalPart(local), host);
    }

    private static byte[] Domain(List<Token> tokens, ref int i)
    {
        var text = new List<byte>();
        while (i < tokens.Count && (tokens[i].Kind is Kind.Word or Kind.DomainLiteral || tokens[i].Is('.')))
            text.AddRange(tokens[i++].Value);
        return [.. text];
    }

    private static void SkipTo(List<Token> tokens, ref int i, bool inGroup)
    {
        while (i < tokens.Count && !tokens[i].Is(',') && !(inGroup && tokens[i].Is(';'))) i++;
    }

    /// <summary>A display name: words joined by single spaces; quoted strings without their quotes.</summary>
    private static byte[] Phrase(List<Token> words)
    {
        var text = new List<byte>();
        foreach (var word in words)
        {
            if (word.Kind == Kind.Special && word.Value[0] == '.')
            {
                text.Add((byte)'.');
                continue;
            }
            if (text.Count > 0 && text[^1] != '.') text.Add((byte)' ');
            text.AddRange(word.Value);
        }
        return [.. text];
    }

    /// <summary>A local part: its words and dots without spaces.</summary>
    private static byte[] LocalPart(List<Token> words)
    {
        var text = new List<byte>();
        foreach (var word in words) text.AddRange(word.Value);
        return [.. text];
    }

    private static List<Token> Tokenize(ReadOnlySpan<byte> raw)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < raw.Length)
        {
            var b = raw[i];
            if (b is (byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n') { i++; continue; }
            if (b == '(')
            {
                var depth = 0;
                for (; i < raw.Length; i++)
                {
                    if (raw[i] == '\\') { i++; continue; }
                    if (raw[i] == '(') depth++;
                    else if (raw[i] == ')' && --depth == 0) { i++; break; }
                }
                continue;
            }
            if (b == '"')
            {
                var value = new List<byte>();
                for (i++; i < raw.Length && raw[i] != '"'; i++)
                {
                    if (raw[i] == '\\' && i + 1 < raw.Length) i++;
                    if (raw[i] is (byte)'\r' or (byte)'\n') continue;
                    value.Add(raw[i]);
                }
                i++;
                tokens.Add(new Token(Kind.Quoted, [.. value]));
                continue;
            }
            if (b == '[')
            {
                var end = raw[i..].IndexOf((byte)']');
                var length = end < 0 ? raw.Length - i : end + 1;
                tokens.Add(new Token(Kind.DomainLiteral, raw.Slice(i, length).ToArray()));
                i += length;
                continue;
            }
            if (b is (byte)'<' or (byte)'>' or (byte)'@' or (byte)',' or (byte)':' or (byte)';' or (byte)'.')
            {
                tokens.Add(new Token(Kind.Special, [b]));
                i++;
                continue;
            }
            var start = i;
            while (i < raw.Length && raw[i] is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)'(' or (byte)'"'
                       or (byte)'<' or (byte)'>' or (byte)'@' or (byte)',' or (byte)':' or (byte)';' or (byte)'[' or (byte)'.')) i++;
            tokens.Add(new Token(Kind.Word, raw[start..i].ToArray()));
        }
        return Merge(tokens);
    }

    /// <summary>Joins word "." word into one word (dot-atoms), so local parts and domains stay whole.</summary>
    private static List<Token> Merge(List<Token> tokens)
    {
        var merged = new List<Token>(tokens.Count);
        foreach (var token in tokens)
        {
            if (merged.Count >= 1 && (token.Kind is Kind.Word or Kind.Quoted) && merged[^1].Is('.') && merged.Count >= 2 && merged[^2].Kind is Kind.Word or Kind.Quoted)
            {
                var dot = merged[^1];
                var previous = merged[^2];
                merged.RemoveRange(merged.Count - 2, 2);
                merged.Add(new Token(previous.Kind == Kind.Quoted && token.Kind == Kind.Quoted ? Kind.Quoted : Kind.Word, [.. previous.Value, .. dot.Value, .. token.Value]));
                continue;
            }
            merged.Add(token);
        }
        return merged;
    }

    internal static string Describe(List<EnvelopeAddress> addresses) =>
        string.Join(";", addresses.Select(a => $"{Show(a.Name)}|{Show(a.Route)}|{Show(a.Mailbox)}|{Show(a.Host)}"));

    private static string Show(byte[]? value) => value is null ? "NIL" : Encoding.UTF8.GetString(value);
}
