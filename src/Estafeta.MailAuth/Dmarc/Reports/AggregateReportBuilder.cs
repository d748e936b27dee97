namespace Estafeta.MailAuth.Dmarc.Reports;

/// <summary>Turns the outcomes of a reporting period for one policy domain into an aggregate report:
/// identical rows (same source, identifiers, results and disposition) become one record with a count.</summary>
public static class AggregateReportBuilder
{
    public static AggregateReport Build(AggregateReportMetadata metadata, AggregateReportPolicy policy, IEnumerable<DmarcReportOutcome> outcomes)
    {
        var enforced = policy.P is DmarcPolicy.Quarantine or DmarcPolicy.Reject;
        var records = new Dictionary<string, (AggregateReportRecord Record, long Count)>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var outcome in outcomes)
        {
            var record = ToRecord(outcome, enforced);
            var key = Key(record);
            if (records.TryGetValue(key, out var existing))
            {
                records[key] = (existing.Record, existing.Count + 1);
            }
            else
            {
                records[key] = (record, 1);
                order.Add(key);
            }
        }
        return new AggregateReport
        {
            Version = "1.0",
            Namespace = AggregateReportWriter.Namespace,
            Metadata = metadata,
            Policy = policy,
            Records = order.Select(k => records[k].Record with { Count = records[k].Count }).ToArray(),
        };
    }

    /// <summary>RFC 9990's disposition: "pass" for mail that passed under an enforced policy.</summary>
    private static AggregateReportRecord ToRecord(DmarcReportOutcome outcome, bool enforced) => new()
    {
        SourceIp = outcome.SourceIp.ToString(),
        Count = 1,
        Disposition = outcome.Dmarc == DmarcStatus.Pass && enforced ? "pass" : outcome.Disposition.ToKeyword(),
        DkimEvaluated = outcome.DkimAligned ? "pass" : "fail",
        SpfEvaluated = outcome.SpfAligned ? "pass" : "fail",
        Reasons = outcome.Reasons,
        HeaderFrom = outcome.HeaderFrom.ToLowerInvariant(),
        EnvelopeFrom = outcome.EnvelopeFrom?.ToLowerInvariant(),
        EnvelopeTo = outcome.EnvelopeTo?.ToLowerInvariant(),
        DkimResults = outcome.DkimResults,
        SpfResults = outcome.SpfDomain is null && outcome.SpfResult == "none" ? []
            : [new AggregateReportSpfResult(outcome.SpfDomain ?? outcome.EnvelopeFrom ?? string.Empty, "mfrom", outcome.SpfResult)],
    };

    private static string Key(AggregateReportRecord record) => string.Join('\u001f',
        record.SourceIp, record.Disposition, record.DkimEvaluated, record.SpfEvaluated, record.HeaderFrom, record.EnvelopeFrom, record.EnvelopeTo,
        string.Join('\u001e', record.Reasons.Select(r => r.Type + "\u001d" + r.Comment)),
        string.Join('\u001e', record.DkimResults.Select(d => d.Domain + "\u001d" + d.Selector + "\u001d" + d.Result)),
        string.Join('\u001e', record.SpfResults.Select(s => s.Domain + "\u001d" + s.Result)));
}
