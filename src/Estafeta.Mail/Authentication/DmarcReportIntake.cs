using Estafeta.MailAuth.Dmarc.Reports;
using Estafeta.Smtp;
using Estafeta.Storage;
using Microsoft.Extensions.Logging;

namespace Estafeta.Mail.Authentication;

/// <summary>Mail that arrives at a domain's report address (dmarc-reports@DOMAIN): read as an aggregate report
/// (RFC 9990 or RFC 7489; xml, gzip, zip or a message carrying one) and stored for <c>estafeta dmarc summary</c>.</summary>
public sealed class DmarcReportIntake(Database db, ILogger log)
{
    private readonly DmarcReportTable _reports = new(db);
    private readonly AuthenticationLog _log = new(log);

    /// <summary>Reads and stores the report; the reply says what happened (250, or 550 5.6.0 when it is not a report).</summary>
    public async Task<SmtpReply> AcceptAsync(Stream message, CancellationToken ct)
    {
        AggregateReportReadResult read;
        await using (message) read = await AggregateReportReader.ReadAsync(message, ct);
        if (read.Report is not { } report)
        {
            _log.ReportUnreadable(read.Error ?? "unknown format");
            return new SmtpReply(550, "5.6.0", $"Not a DMARC aggregate report: {SmtpReply.Printable(read.Error ?? "unknown format", 300)}");
        }
        var stored = new ReceivedDmarcReport(
            report.Policy.Domain.Trim().TrimEnd('.').ToLowerInvariant(), report.Metadata.OrgName, report.Metadata.ReportId,
            report.Metadata.Begin, report.Metadata.End,
            [.. report.Records.Select(r => new ReceivedDmarcReportRow(r.SourceIp, r.Count, r.Disposition, r.DkimEvaluated, r.SpfEvaluated, r.HeaderFrom))]);
        if (await _reports.AddAsync(stored, ct)) _log.ReportStored(stored.Domain, stored.OrgName, stored.ReportId, stored.Rows.Count);
        else _log.ReportDuplicate(stored.OrgName, stored.ReportId);
        return new SmtpReply(250, "2.0.0", $"Ok: DMARC report {SmtpReply.Printable(report.Metadata.ReportId, 100)} from {SmtpReply.Printable(report.Metadata.OrgName, 100)} stored");
    }

    /// <summary>A summary per domain of the stored reports (sources, pass rates, unauthenticated senders).</summary>
    public async Task<IReadOnlyList<AggregateReportSummary>> SummaryAsync(string? domain, CancellationToken ct)
    {
        var reports = await _reports.ListAsync(domain?.Trim().TrimEnd('.').ToLowerInvariant(), ct);
        return AggregateReportSummary.Summarize(reports.Select(r => new AggregateReport
        {
            Metadata = new AggregateReportMetadata { OrgName = r.OrgName, Email = "", ReportId = r.ReportId, Begin = r.Begin, End = r.End },
            Policy = new AggregateReportPolicy { Domain = r.Domain },
            Records = [.. r.Rows.Select(x => new AggregateReportRecord
            {
                SourceIp = x.SourceIp, Count = x.Count, Disposition = x.Disposition, DkimEvaluated = x.DkimEvaluated,
                SpfEvaluated = x.SpfEvaluated, HeaderFrom = x.HeaderFrom,
            })],
        }));
    }
}
