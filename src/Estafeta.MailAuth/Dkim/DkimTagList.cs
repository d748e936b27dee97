using System.Buffers;

namespace Estafeta.MailAuth.Dkim;

/// <summary>RFC 6376 §3.2 tag=value lists, as used by DKIM-Signature fields and key records.
/// Tag names are case-sensitive; a tag may appear once.</summary>
public sealed class DkimTagList
{
    /// <summary>Beyond this many tags a dictionary finds names; below, a scan of the few names is quicker
    /// than hashing them (a signature has about ten).</summary>
    private const int ScanLimit = 24;

    private readonly List<string> names = new(12);
    private readonly List<string> values = new(12);
    private Dictionary<string, int>? index;

    private DkimTagList() { }

    /// <summary>Tag names in the order they appear.</summary>
    public IReadOnlyList<string> Order => names;

    public string? this[string name] => IndexOf(name) is var i and >= 0 ? values[i] : null;

    public bool Contains(string name) => IndexOf(name) >= 0;

    internal int Count => names.Count;
    internal string NameAt(int index) => names[index];
    internal string ValueAt(int index) => values[index];

    /// <summary>A tag value with all folding whitespace removed (b=, bh=, p=).</summary>
    public string? Compact(string name) => this[name] is { } value ? RemoveWhitespace(value) : null;

    private int IndexOf(string name)
    {
        if (index is not null) return index.TryGetValue(name, out var i) ? i : -1;
        var all = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(names);
        for (var i = 0; i < all.Length; i++)
            if (string.Equals(all[i], name)) return i;
        return -1;
    }

    private bool TryAdd(string name, string value)
    {
        if (IndexOf(name) >= 0) return false;
        if (index is not null) index[name] = names.Count;
        names.Add(name);
        values.Add(value);
        if (index is null && names.Count > ScanLimit)
        {
            index = new Dictionary<string, int>(names.Count * 2, StringComparer.Ordinal);
            for (var i = 0; i < names.Count; i++) index[names[i]] = i;
        }
        return true;
    }

    public static bool TryParse(string text, out DkimTagList list, out string error)
    {
        list = new DkimTagList();
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
            var nameSpan = TrimFoldingWhitespace(spec[..equals]);
            if (!IsTagName(nameSpan))
            {
                error = $"malformed tag name \"{nameSpan}\"";
                return false;
            }
            var name = TagName(nameSpan);
            if (!list.TryAdd(name, TrimFoldingWhitespace(spec[(equals + 1)..]).ToString()))
            {
                error = $"duplicate tag {name}=";
                return false;
            }
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
        if (name.Length <= 2)
            foreach (var common in CommonNames)
                if (name.SequenceEqual(common)) return common;
        return name.ToString();
    }

    /// <summary>The span without folding whitespace at either end (a few octets at most, so a plain loop).</summary>
    internal static ReadOnlySpan<char> TrimFoldingWhitespace(ReadOnlySpan<char> text)
    {
        var start = 0;
        while (start < text.Length && IsFoldingWhitespace(text[start])) start++;
        var end = text.Length;
        while (end > start && IsFoldingWhitespace(text[end - 1])) end--;
        return text[start..end];
    }

    internal static bool IsFoldingWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    internal static string Trim(string value) => value.Trim(' ', '\t', '\r', '\n');

    [System.Runtime.CompilerServices.SkipLocalsInit]
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
