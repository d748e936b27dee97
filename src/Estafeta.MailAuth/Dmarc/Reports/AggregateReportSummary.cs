namespace Estafeta.MailAuth.Dmarc.Reports;

/// <summary>What a set of aggregate reports says about one domain: how much mail, from where, and
/// how much of it authenticated. Pass rates count messages, from 0 to 1; SPF and DKIM count
/// aligned passes (policy_evaluated), as DMARC does.</summary>
public sealed record AggregateReportSummary
{
    public required string Domain { get; init; }
    public required int Reports { get; init; }
    public required long Messages { get; init; }
    public required double SpfPassRate { get; init; }
    public required double DkimPassRate { get; init; }
    public required double DmarcPassRate { get; init; }

    /// <summary>Every sending address, most messages first.</summary>
    public required IReadOnlyList<AggregateSourceSummary> Sources { get; init; }

    /// <summary>Sources whose mail, sent with the domain in From, failed DMARC: neither aligned SPF
    /// nor aligned DKIM passed. These are unauthorised senders or forgotten services.</summary>
    public IReadOnlyList<AggregateSourceSummary> UnauthenticatedSources => Sources.Where(s => s.DmarcFailed > 0).ToArray();

    /// <summary>One summary per policy domain, in alphabetical order.</summary>
    public static IReadOnlyList<AggregateReportSummary> Summarize(IEnumerable<AggregateReport> reports) =>
        reports.GroupBy(r => r.Policy.Domain.ToLowerInvariant())
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => SummarizeDomain(g.Key, g.ToList()))
            .ToArray();

    private static AggregateReportSummary SummarizeDomain(string domain, List<AggregateReport> reports)
    {
        var records = reports.SelectMany(r => r.Records).ToList();
        var messages = records.Sum(r => r.Count);
        var sources = records.GroupBy(r => r.SourceIp)
            .Select(g => new AggregateSourceSummary(
                g.Key,
                g.Sum(r => r.Count),
                g.Where(r => r.SpfEvaluated == "pass").Sum(r => r.Count),
                g.Where(r => r.DkimEvaluated == "pass").Sum(r => r.Count),
                g.Where(r => r.DmarcPassed).Sum(r => r.Count),
                g.Select(r => r.HeaderFrom).Where(h => h.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToArray()))
            .OrderByDescending(s => s.Messages).ThenBy(s => s.SourceIp, StringComparer.Ordinal)
            .ToArray();
        return new AggregateReportSummary
        {
            Domain = domain,
            Reports = reports.Count,
            Messages = messages,
            SpfPassRate = Rate(sources.Sum(s => s.SpfPass), messages),
            DkimPassRate = Rate(sources.Sum(s => s.DkimPass), messages),
            DmarcPassRate = Rate(sources.Sum(s => s.DmarcPass), messages),
            Sources = sources,
        };
    }

    private static double Rate(long part, long whole) => whole == 0 ? 0 : (double)part / whole;
}

/// <summary>One sending address: its volume and how much of it passed.</summary>
public sealed record AggregateSourceSummary(string SourceIp, long Messages, long SpfPass, long DkimPass, long DmarcPass, IReadOnlyList<string> HeaderFromDomains)
{
    public long DmarcFailed => Messages - DmarcPass;
}
