namespace Estafeta.MailAuth.Dmarc.Reports;

/// <summary>The outcome of reading one report file: the report, or a clear error. <see cref="Container"/>
/// says how it was carried, e.g. "eml > zip > xml".</summary>
public sealed record AggregateReportReadResult(AggregateReport? Report, string? Error, string Container)
{
    public bool Success => Report is not null;

    public IReadOnlyList<string> Warnings => Report?.Warnings ?? [];

    public override string ToString() => Success
        ? $"{Container}: report {Report!.Metadata.ReportId} from {Report.Metadata.OrgName} for {Report.Policy.Domain}, {Report.Records.Count} records"
        : $"{Container}: {Error}";
}
