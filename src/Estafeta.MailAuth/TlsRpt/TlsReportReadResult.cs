namespace Estafeta.MailAuth.TlsRpt;

/// <summary>The outcome of reading one TLS report: the report, or a clear error. <see cref="Container"/>
/// says how it was carried, e.g. "eml > gzip > json".</summary>
public sealed record TlsReportReadResult(TlsReport? Report, string? Error, string Container)
{
    public bool Success => Report is not null;

    public override string ToString() => Success
        ? $"{Container}: report {Report!.ReportId} from {Report.OrganizationName}, {Report.Policies.Count} policies"
        : $"{Container}: {Error}";
}
