namespace Estafeta.Storage;

/// <summary>An aggregate report another receiver sent about one of our domains, as stored.</summary>
public sealed record ReceivedDmarcReport(
    string Domain,
    string OrgName,
    string ReportId,
    DateTimeOffset Begin,
    DateTimeOffset End,
    IReadOnlyList<ReceivedDmarcReportRow> Rows);

/// <summary>One record of a received report: a source address, how many messages, what the reporter did
/// and whether aligned DKIM and SPF passed ("pass"/"fail").</summary>
public sealed record ReceivedDmarcReportRow(string SourceIp, long Count, string Disposition, string? DkimEvaluated, string? SpfEvaluated, string HeaderFrom);
