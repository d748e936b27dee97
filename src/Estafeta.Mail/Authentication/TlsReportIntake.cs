using Estafeta.MailAuth.TlsRpt;
using Estafeta.Smtp;
using Estafeta.Storage;
using Microsoft.Extensions.Logging;

namespace Estafeta.Mail.Authentication;

/// <summary>Mail that arrives at a domain's TLS report address (tls-reports@DOMAIN): read as an SMTP TLS report
/// (RFC 8460; JSON, gzipped or not, in a report mail or loosely attached) and stored for <c>estafeta tlsrpt summary</c>.</summary>
public sealed class TlsReportIntake(Database db, ILogger log)
{
    private readonly TlsReportTable _reports = new(db);
    private readonly AuthenticationLog _log = new(log);

    /// <summary>Reads and stores the report; the reply says what happened (250, or 550 5.6.0 when it is not a report).</summary>
    public async Task<SmtpReply> AcceptAsync(Stream message, CancellationToken ct)
    {
        TlsReportReadResult read;
        await using (message) read = await TlsReportReader.ReadAsync(message, ct);
        if (read.Report is not { } report)
        {
            _log.TlsReportUnreadable(read.Error ?? "unknown format");
            return new SmtpReply(550, "5.6.0", $"Not a TLS report: {SmtpReply.Printable(read.Error ?? "unknown format", 300)}");
        }
        var stored = ToStored(report);
        if (await _reports.AddAsync(stored, ct)) _log.TlsReportStored(stored.Submitter, stored.ReportId, stored.Policies.Count, stored.Policies.Sum(p => p.FailedSessions));
        else _log.TlsReportDuplicate(stored.Submitter, stored.ReportId);
        return new SmtpReply(250, "2.0.0", $"Ok: TLS report {SmtpReply.Printable(report.ReportId, 100)} from {SmtpReply.Printable(report.Submitter, 100)} stored");
    }

    /// <summary>A summary per policy domain of the stored reports whose period ends at or after <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<TlsReportSummary>> SummaryAsync(string? domain, DateTimeOffset? since, CancellationToken ct)
    {
        var reports = await _reports.ListAsync(domain?.Trim().TrimEnd('.').ToLowerInvariant(), since, ct);
        return TlsReportSummary.Summarize(reports.Select(r => new TlsReport
        {
            OrganizationName = r.OrganizationName,
            Begin = r.Begin,
            End = r.End,
            ContactInfo = r.ContactInfo,
            ReportId = r.ReportId,
            SubmitterHeader = r.Submitter,
            Policies = [.. r.Policies.Select(p => new TlsReportPolicy
            {
                PolicyType = p.PolicyType,
                PolicyDomain = p.PolicyDomain,
                PolicyStrings = p.PolicyString.Length == 0 ? [] : p.PolicyString.Split('\n'),
                MxHosts = p.MxHosts.Split(' ', StringSplitOptions.RemoveEmptyEntries),
                SuccessfulSessions = p.SuccessfulSessions,
                FailedSessions = p.FailedSessions,
                FailureDetails = [.. p.Failures.Select(f => new TlsFailureDetail
                {
                    ResultType = f.ResultType, SendingMtaIp = f.SendingMtaIp, ReceivingMxHostname = f.ReceivingMxHostname, ReceivingMxHelo = f.ReceivingMxHelo,
                    ReceivingIp = f.ReceivingIp, FailedSessions = f.FailedSessions, AdditionalInformation = f.AdditionalInformation, FailureReasonCode = f.FailureReasonCode,
                })],
            })],
        }));
    }

    private static ReceivedTlsReport ToStored(TlsReport report) => new(
        report.Submitter, report.ReportId, report.OrganizationName, report.ContactInfo, report.Begin, report.End,
        [.. report.Policies.Select(p => new ReceivedTlsPolicy(
            p.PolicyType, p.PolicyDomain, string.Join('\n', p.PolicyStrings.Select(s => s.Replace('\n', ' '))),
            string.Join(' ', p.MxHosts.Select(h => h.Replace(' ', '_'))), p.SuccessfulSessions, p.FailedSessions,
            [.. p.FailureDetails.Select(f => new ReceivedTlsFailure(f.ResultType, f.SendingMtaIp, f.ReceivingMxHostname, f.ReceivingMxHelo, f.ReceivingIp,
                f.FailedSessions, f.AdditionalInformation, f.FailureReasonCode))]))]);

    /// <summary>Text from the report as it may appear in an SMTP reply: printable ASCII, at most <paramref name="length"/> characters.</summary>
}
