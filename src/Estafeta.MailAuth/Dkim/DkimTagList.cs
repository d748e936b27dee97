using System.Buffers;

namespace Estafeta.MailAuth.Dkim;

/// <summary>RFC 6376 §3.2 tag=value lists, as used by DKIM-Signature fields and key records.
/// Tag names are case-sensitive; a tag may appear once.</summary>
public sealed class DkimTagList
{
    private readonly Dictionary<string, string> tags;

    private DkimTagList(Dictionary<string, string> tags, IReadOnlyList<string> order)
    {
        this.tags = tags;
        Order = order;
    }

    /// <summary>Tag names in the order they appear.</summary>
    public IReadOnlyList<string> Order { get; }

    public string? this[string name] => tags.GetValueOrDefault(name);

    public bool Contains(string name) => tags.ContainsKey(name);

    /// <summary>A tag value with all folding whitespace removed (b=, bh=, p=).</summary>
    public string? Compact(string name) => tags.TryGetValue(name, out var value) ? RemoveWhitespace(value) : null;

    public static bool TryParse(string text, out DkimTagList list, out string error)
    {
        var values = new Dictionary<string, string>(16, StringComparer.Ordinal);
        var order = new List<string>(16);
        list = new DkimTagList(values, order);
        var position = 0;
        while (position <= text.Length)
        {
            var end = text.IndexOf(';', position);
            if (end < 0) end = text.Length;
            var spec = text.AsSpan(position, end - position);
            position = end + 1;
            if (spec.IndexOfAnyExcept(FoldingWhitespace) < 0) continue;
            var equals = spec.IndexOf('=');
            if (equals < 0)
            {
                error = $"malformed tag \"{spec.Trim(FoldingWhitespaceChars)}\"";
                return false;
            }
            var nameSpan = spec[..equals].Trim(FoldingWhitespaceChars);
            if (!IsTagName(nameSpan))
            {
                error = $"malformed tag name \"{nameSpan}\"";
                return false;
            }
            var name = TagName(nameSpan);
            if (!values.TryAdd(name, spec[(equals + 1)..].Trim(FoldingWhitespaceChars).ToString()))
            {
                error = $"duplicate tag {name}=";
                return false;
            }
            order.Add(name);
        }
        error = string.Empty;
        return true;
    }

    private const string FoldingWhitespaceChars = " \t\r\n";
    private static readonly SearchValues<char> FoldingWhitespace = SearchValues.Create(FoldingWhitespaceChars);

    /// <summary>The tags every DKIM-Signature, ARC field and key record uses, as one shared string each.</summary>
    private static readonly string[] CommonNames = ["v", "a", "b", "bh", "c", "d", "h", "i", "k", "l", "p", "q", "s", "t", "x", "z", "cv", "n"];

    private static string TagName(ReadOnlySpan<char> name)
    {
        foreach (var common in CommonNames)
            if (name.SequenceEqual(common)) return common;
        return name.ToString();
    }

    internal static bool IsFoldingWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    internal static string Trim(string value) => value.Trim(' ', '\t', '\r', '\n');

    internal static string RemoveWhitespace(string value)
    {
        var first = value.AsSpan().IndexOfAny(FoldingWhitespace);
        if (first < 0) return value;
        var source = value.AsSpan();
        var buffer = value.Length <= 1024 ? stackalloc char[value.Length] : new char[value.Length];
        source[..first].CopyTo(buffer);
        var length = first;
        var rest = source[first..];
        while (true)
        {
            var start = rest.IndexOfAnyExcept(FoldingWhitespace);
            if (start < 0) break;
            rest = rest[start..];
            var next = rest.IndexOfAny(FoldingWhitespace);
            var run = next < 0 ? rest : rest[..next];
            run.CopyTo(buffer[length..]);
            length += run.Length;
            if (next < 0) break;
            rest = rest[next..];
        }
        return new string(buffer[..length]);
    }

    private static bool IsTagName(ReadOnlySpan<char> name)
    {
        if (name.Length == 0 || !char.IsAsciiLetter(name[0])) return false;
        foreach (var c in name)
            if (!char.IsAsciiLetterOrDigit(c) && c != '_') return false;
        return true;
    }
}
