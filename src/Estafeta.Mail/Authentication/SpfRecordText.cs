using Estafeta.MailAuth.Dns;
using Estafeta.MailAuth.Spf;

namespace Estafeta.Mail.Authentication;

/// <summary>Edits and measures SPF records for the fixes that domain check proposes.</summary>
public static class SpfRecordText
{
    /// <summary>The record with <paramref name="terms"/> inserted before its all mechanism (or redirect=), or at the end.</summary>
    public static string WithTerms(string record, IEnumerable<string> terms)
    {
        var parts = record.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var index = parts.FindIndex(p => p.TrimStart('+', '-', '~', '?').Equals("all", StringComparison.OrdinalIgnoreCase)
            || p.StartsWith("redirect=", StringComparison.OrdinalIgnoreCase));
        var add = terms.Where(t => !parts.Contains(t, StringComparer.OrdinalIgnoreCase)).ToList();
        parts.InsertRange(index < 0 ? parts.Count : index, add);
        return string.Join(' ', parts);
    }

    /// <summary>The record without <paramref name="term"/> (whatever its qualifier), compared without regard to case.</summary>
    public static string WithoutTerm(string record, string term) =>
        string.Join(' ', record.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(p => !p.TrimStart('+', '-', '~', '?').Equals(term, StringComparison.OrdinalIgnoreCase)));

    /// <summary>Several SPF records merged into one: the first one's terms, then the others' mechanisms.</summary>
    public static string Merge(IReadOnlyList<string> records)
    {
        var merged = records[0];
        foreach (var other in records.Skip(1))
        {
            var terms = other.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
                .Where(t => !t.TrimStart('+', '-', '~', '?').Equals("all", StringComparison.OrdinalIgnoreCase) && !t.Contains('=', StringComparison.Ordinal));
            merged = WithTerms(merged, terms);
        }
        return merged;
    }

    /// <summary>The DNS lookups the record costs (RFC 7208 §4.6.4), in total and per top-level term: an include
    /// or redirect costs one plus what its target record costs.</summary>
    public static async Task<(int Total, IReadOnlyList<(string Term, int Cost)> Terms)> LookupCostAsync(IDnsResolver dns, SpfRecord record, CancellationToken ct)
    {
        var visited = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var terms = new List<(string, int)>();
        foreach (var mechanism in record.Mechanisms.Where(m => m.CausesDnsLookup))
        {
            var cost = 1;
            if (mechanism.Kind == SpfMechanismKind.Include && mechanism.Domain is { HasMacros: false } target)
                cost += await CostOfAsync(dns, target.Text, 1, visited, ct);
            terms.Add((mechanism.Text, cost));
        }
        if (record.Redirect is { } redirect)
            terms.Add(("redirect=" + redirect.Text, 1 + (redirect.HasMacros ? 0 : await CostOfAsync(dns, redirect.Text, 1, visited, ct))));
        return (terms.Sum(t => t.Item2), terms);
    }

    private static async Task<int> CostOfAsync(IDnsResolver dns, string domain, int depth, HashSet<string> visited, CancellationToken ct)
    {
        if (depth > 10 || !visited.Add(domain)) return 0;
        var txt = await dns.TxtAsync(domain, ct);
        var text = txt.Records.FirstOrDefault(SpfRecordParser.IsSpfRecord);
        if (text is null || SpfRecordParser.Parse(text).Record is not { } record) return 0;
        var cost = 0;
        foreach (var mechanism in record.Mechanisms.Where(m => m.CausesDnsLookup))
        {
            cost++;
            if (mechanism.Kind == SpfMechanismKind.Include && mechanism.Domain is { HasMacros: false } target)
                cost += await CostOfAsync(dns, target.Text, depth + 1, visited, ct);
        }
        if (record.Redirect is { HasMacros: false } redirect) cost += 1 + await CostOfAsync(dns, redirect.Text, depth + 1, visited, ct);
        return cost;
    }
}
