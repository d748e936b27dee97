using System.Text;
using MimeKit.Utils;

namespace Estafeta.Imap.Commands;

/// <summary>The base subject of RFC 5256 §2.1, for SORT SUBJECT: decoded, whitespace collapsed, without "Re:",
/// "Fwd:", "[list]" prefixes, "(fwd)" trailers and "[fwd: ...]" wrappers.</summary>
internal static class BaseSubject
{
    public static string Of(string? raw)
    {
        if (string.IsNullOrEmpty(raw)) return "";
        var text = Rfc2047.DecodeText(Encoding.UTF8.GetBytes(raw));
        text = Collapse(text);
        while (true)
        {
            text = RemoveTrailers(text);
            string before;
            do
            {
                before = text;
                text = RemoveLeaders(text);
                var withoutBlob = RemoveBlob(text);
                if (withoutBlob.Length > 0) text = withoutBlob;
            }
            while (text != before);
            if (text.StartsWith("[fwd:", StringComparison.OrdinalIgnoreCase) && text.EndsWith(']'))
            {
                text = text[5..^1].Trim();
                continue;
            }
            return text;
        }
    }

    private static string Collapse(string text)
    {
        var result = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            var ch = c is '\t' or '\r' or '\n' ? ' ' : c;
            if (ch == ' ' && result.Length > 0 && result[^1] == ' ') continue;
            result.Append(ch);
        }
        return result.ToString().Trim();
    }

    private static string RemoveTrailers(string text)
    {
        while (true)
        {
            var trimmed = text.TrimEnd();
            if (trimmed.EndsWith("(fwd)", StringComparison.OrdinalIgnoreCase)) text = trimmed[..^5];
            else return trimmed;
        }
    }

    /// <summary>subj-leader: (*subj-blob subj-refwd) / WSP, repeatedly.</summary>
    private static string RemoveLeaders(string text)
    {
        while (true)
        {
            var start = text.TrimStart();
            var i = 0;
            while (TryBlob(start, ref i)) { }
            var j = i;
            if (TryRefwd(start, ref j))
            {
                text = start[j..];
                continue;
            }
            return start;
        }
    }

    private static string RemoveBlob(string text)
    {
        var i = 0;
        return TryBlob(text, ref i) ? text[i..].TrimStart() : text;
    }

    private static bool TryBlob(string text, ref int i)
    {
        if (i >= text.Length || text[i] != '[') return false;
        var end = text.IndexOf(']', i);
        if (end < 0 || text.AsSpan(i + 1, end - i - 1).IndexOfAny("[]") >= 0) return false;
        i = end + 1;
        while (i < text.Length && text[i] == ' ') i++;
        return true;
    }

    private static bool TryRefwd(string text, ref int i)
    {
        var start = i;
        if (Starts(text, i, "re")) i += 2;
        else if (Starts(text, i, "fwd")) i += 3;
        else if (Starts(text, i, "fw")) i += 2;
        else return false;
        while (i < text.Length && text[i] == ' ') i++;
        TryBlob(text, ref i);
        if (i < text.Length && text[i] == ':')
        {
            i++;
            return true;
        }
        i = start;
        return false;
    }

    private static bool Starts(string text, int i, string word) =>
        string.Compare(text, i, word, 0, word.Length, StringComparison.OrdinalIgnoreCase) == 0 && text.Length - i >= word.Length;
}
