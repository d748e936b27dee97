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
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var order = new List<string>();
        list = new DkimTagList(values, order);
        foreach (var spec in text.Split(';'))
        {
            if (IsWhitespace(spec)) continue;
            var equals = spec.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                error = $"malformed tag \"{Trim(spec)}\"";
                return false;
            }
            var name = Trim(spec[..equals]);
            if (!IsTagName(name))
            {
                error = $"malformed tag name \"{name}\"";
                return false;
            }
            if (!values.TryAdd(name, Trim(spec[(equals + 1)..])))
            {
                error = $"duplicate tag {name}=";
                return false;
            }
            order.Add(name);
        }
        error = string.Empty;
        return true;
    }

    internal static bool IsFoldingWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    internal static string Trim(string value) => value.Trim(' ', '\t', '\r', '\n');

    internal static string RemoveWhitespace(string value)
    {
        if (!value.AsSpan().ContainsAny(" \t\r\n")) return value;
        return string.Create(value.Length - CountWhitespace(value), value, static (span, source) =>
        {
            var i = 0;
            foreach (var c in source)
                if (!IsFoldingWhitespace(c)) span[i++] = c;
        });
    }

    private static int CountWhitespace(string value)
    {
        var count = 0;
        foreach (var c in value)
            if (IsFoldingWhitespace(c)) count++;
        return count;
    }

    private static bool IsWhitespace(string value)
    {
        foreach (var c in value)
            if (!IsFoldingWhitespace(c)) return false;
        return true;
    }

    private static bool IsTagName(string name)
    {
        if (name.Length == 0 || !char.IsAsciiLetter(name[0])) return false;
        foreach (var c in name)
            if (!char.IsAsciiLetterOrDigit(c) && c != '_') return false;
        return true;
    }
}
