using System.Globalization;
using System.Reflection;
using System.Text;

namespace Estafeta.MailAuth.PublicSuffix;

/// <summary>The Public Suffix List (https://publicsuffix.org/list/): which names are public
/// suffixes ("com", "co.uk", anything under "*.ck" but "www.ck") and so where the registrable
/// domain begins. Names are compared in A-label form, case-insensitively; answers keep the form
/// (U-labels or A-labels) and case of the question, lower-cased. Immutable and thread-safe.</summary>
public sealed class PublicSuffixList
{
    private const string ResourceName = "Estafeta.MailAuth.PublicSuffix.public_suffix_list.dat";
    private static readonly Lazy<PublicSuffixList> BuiltIn = new(LoadBuiltIn);
    private static readonly IdnMapping Idn = new() { AllowUnassigned = true };

    private readonly HashSet<string> rules;
    private readonly HashSet<string> wildcards;
    private readonly HashSet<string> exceptions;

    private PublicSuffixList(HashSet<string> rules, HashSet<string> wildcards, HashSet<string> exceptions)
    {
        this.rules = rules;
        this.wildcards = wildcards;
        this.exceptions = exceptions;
    }

    /// <summary>The copy shipped inside this assembly.</summary>
    public static PublicSuffixList Default => BuiltIn.Value;

    /// <summary>Number of rules (normal, wildcard and exception).</summary>
    public int RuleCount => rules.Count + wildcards.Count + exceptions.Count;

    /// <summary>Reads the list's text format: one rule per line, "//" comments, "*." wildcards and
    /// "!" exceptions; only the first whitespace-separated word of a line counts.</summary>
    public static PublicSuffixList Parse(string text)
    {
        var rules = new HashSet<string>(StringComparer.Ordinal);
        var wildcards = new HashSet<string>(StringComparer.Ordinal);
        var exceptions = new HashSet<string>(StringComparer.Ordinal);
        foreach (var rawLine in text.Split('\n'))
        {
            var line = rawLine.Trim();
            var space = line.AsSpan().IndexOfAny(' ', '\t');
            if (space >= 0) line = line[..space];
            if (line.Length == 0 || line.StartsWith("//", StringComparison.Ordinal)) continue;
            if (line[0] == '!')
            {
                if (ToAscii(line[1..]) is { } exception) exceptions.Add(exception);
            }
            else if (line.StartsWith("*.", StringComparison.Ordinal))
            {
                if (ToAscii(line[2..]) is { } parent) wildcards.Add(parent);
            }
            else if (ToAscii(line) is { } rule)
            {
                rules.Add(rule);
            }
        }
        return new PublicSuffixList(rules, wildcards, exceptions);
    }

    /// <summary>Loads a list downloaded from publicsuffix.org, to use a newer copy than the one
    /// shipped. A file without a single rule is refused so that a failed download is noticed.</summary>
    public static PublicSuffixList LoadFile(string path)
    {
        var list = Parse(File.ReadAllText(path, Encoding.UTF8));
        if (list.RuleCount == 0) throw new InvalidDataException($"{path} holds no public suffix rules.");
        return list;
    }

    /// <summary>The public suffix of <paramref name="domain"/> (e.g. "co.uk" for "www.example.co.uk");
    /// an unlisted top-level label counts as a public suffix (the implicit "*" rule). Null when the
    /// name is empty or not a domain name.</summary>
    public string? GetPublicSuffix(string domain)
    {
        var labels = Labels(domain, out var original);
        if (labels is null) return null;
        return Join(original!, original!.Length - SuffixLabelCount(labels));
    }

    /// <summary>The registrable domain: the public suffix and one label more ("example.co.uk" for
    /// "www.example.co.uk"). This is the RFC 7489 organizational domain. Null when the name is
    /// itself a public suffix, or not a domain name.</summary>
    public string? GetRegistrableDomain(string domain)
    {
        var labels = Labels(domain, out var original);
        if (labels is null) return null;
        var suffix = SuffixLabelCount(labels);
        return labels.Length > suffix ? Join(original!, original!.Length - suffix - 1) : null;
    }

    /// <summary>The RFC 7489 §3.2 organizational domain: the registrable domain, or the name itself
    /// when it is a public suffix.</summary>
    public string GetOrganizationalDomain(string domain) =>
        GetRegistrableDomain(domain) ?? DomainNames.Normalize(domain);

    public bool IsPublicSuffix(string domain)
    {
        var labels = Labels(domain, out _);
        return labels is not null && SuffixLabelCount(labels) == labels.Length;
    }

    /// <summary>How many rightmost labels of <paramref name="labels"/> (A-labels) form the public suffix.</summary>
    private int SuffixLabelCount(string[] labels)
    {
        for (var start = 0; start < labels.Length; start++)
        {
            var candidate = string.Join('.', labels, start, labels.Length - start);
            if (exceptions.Contains(candidate)) return labels.Length - start - 1;
            if (rules.Contains(candidate)) return labels.Length - start;
            if (start + 1 < labels.Length && wildcards.Contains(string.Join('.', labels, start + 1, labels.Length - start - 1)))
                return labels.Length - start;
        }
        return 1;
    }

    private static string[]? Labels(string domain, out string[]? original)
    {
        original = null;
        var name = DomainNames.Normalize(domain);
        if (name.Length == 0 || name[0] == '.' || name.Contains("..", StringComparison.Ordinal)) return null;
        var ascii = ToAscii(name);
        if (ascii is null) return null;
        original = name.Split('.');
        var labels = ascii.Split('.');
        return labels.Length == original.Length ? labels : null;
    }

    private static string Join(string[] labels, int start) => string.Join('.', labels, start, labels.Length - start);

    private static string? ToAscii(string name)
    {
        name = name.ToLowerInvariant();
        if (name.All(char.IsAscii)) return name;
        try
        {
            return Idn.GetAscii(name).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }

    private static PublicSuffixList LoadBuiltIn()
    {
        using var stream = typeof(PublicSuffixList).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing from {typeof(PublicSuffixList).Assembly.GetName().Name}.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd());
    }
}
