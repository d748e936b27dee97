namespace Estafeta.MailAuth.TlsRpt;

/// <summary>What a set of TLS reports says about one policy domain: how many sessions senders made with its MX
/// hosts, how many of them failed, and why (each failure type with the sending MTAs and organisations that saw it).</summary>
public sealed record TlsReportSummary
{
    public required string PolicyDomain { get; init; }
    public required int Reports { get; init; }
    public required long SuccessfulSessions { get; init; }
    public required long FailedSessions { get; init; }

    /// <summary>The policy types the senders applied (sts, tlsa, no-policy-found).</summary>
    public required IReadOnlyList<string> PolicyTypes { get; init; }

    /// <summary>The reporting organisations, alphabetically.</summary>
    public required IReadOnlyList<string> Organizations { get; init; }

    /// <summary>Failure types, most failed sessions first.</summary>
    public required IReadOnlyList<TlsFailureSummary> Failures { get; init; }

    public double FailureRate => SuccessfulSessions + FailedSessions == 0 ? 0 : (double)FailedSessions / (SuccessfulSessions + FailedSessions);

    /// <summary>One summary per policy domain, in alphabetical order.</summary>
    public static IReadOnlyList<TlsReportSummary> Summarize(IEnumerable<TlsReport> reports) =>
        reports.SelectMany(r => r.Policies.Select(p => (Report: r, Policy: p)))
            .GroupBy(x => x.Policy.PolicyDomain, StringComparer.OrdinalIgnoreCase)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => SummarizeDomain(g.Key.ToLowerInvariant(), [.. g]))
            .ToArray();

    private static TlsReportSummary SummarizeDomain(string domain, List<(TlsReport Report, TlsReportPolicy Policy)> policies)
    {
        var failures = policies.SelectMany(x => x.Policy.FailureDetails.Select(d => (x.Report, Detail: d)))
            .GroupBy(x => x.Detail.ResultType, StringComparer.Ordinal)
            .Select(g => new TlsFailureSummary(
                g.Key,
                g.Sum(x => x.Detail.FailedSessions),
                [.. g.GroupBy(x => x.Detail.SendingMtaIp ?? "", StringComparer.Ordinal)
                    .Select(m => new TlsSendingMtaSummary(m.Key, m.Sum(x => x.Detail.FailedSessions)))
                    .OrderByDescending(m => m.Sessions).ThenBy(m => m.SendingMtaIp, StringComparer.Ordinal)],
                [.. g.Select(x => x.Detail.ReceivingMxHostname).OfType<string>().Where(h => h.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).Order(StringComparer.Ordinal)],
                [.. g.Select(x => x.Report.OrganizationName).Where(o => o.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]))
            .OrderByDescending(f => f.Sessions).ThenBy(f => f.ResultType, StringComparer.Ordinal)
            .ToArray();
        return new TlsReportSummary
        {
            PolicyDomain = domain,
            Reports = policies.Select(x => x.Report).Distinct().Count(),
            SuccessfulSessions = policies.Sum(x => x.Policy.SuccessfulSessions),
            FailedSessions = policies.Sum(x => x.Policy.FailedSessions),
            PolicyTypes = [.. policies.Select(x => x.Policy.PolicyType).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Organizations = [.. policies.Select(x => x.Report.OrganizationName).Where(o => o.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)],
            Failures = failures,
        };
    }
}

/// <summary>One failure type (result-type) of a policy domain: failed sessions, the sending MTAs that reported them
/// (address as reported; empty when the report names none), the MX hosts involved and the reporting organisations.</summary>
public sealed record TlsFailureSummary(string ResultType, long Sessions, IReadOnlyList<TlsSendingMtaSummary> SendingMtas,
    IReadOnlyList<string> ReceivingMxHosts, IReadOnlyList<string> Organizations);

public sealed record TlsSendingMtaSummary(string SendingMtaIp, long Sessions);
