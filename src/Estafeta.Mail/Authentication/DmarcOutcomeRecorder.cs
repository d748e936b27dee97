using System.Net;
using Estafeta.MailAuth.Dkim;
using Estafeta.MailAuth.Dmarc;
using Estafeta.MailAuth.Dmarc.Reports;
using Estafeta.MailAuth.Spf;
using Estafeta.Smtp;
using Estafeta.Storage;
using Microsoft.Extensions.Logging;

namespace Estafeta.Mail.Authentication;

/// <summary>Keeps what DMARC decided for each received message whose From domain publishes a policy, for
/// the daily aggregate report to that domain (RFC 9990). A failure to record is logged, never refuses mail.</summary>
public sealed class DmarcOutcomeRecorder(Database db, TimeProvider clock, ILogger log)
{
    private readonly DmarcOutcomeTable _table = new(db);
    private readonly AuthenticationLog _log = new(log);

    public async Task RecordAsync(DmarcResult dmarc, IPAddress client, ReversePath from, string helo, SpfCheckResult spf,
        IReadOnlyList<DkimResult> dkim, IReadOnlyList<ForwardPath> recipients, CancellationToken ct)
    {
        if (dmarc.Record is null || dmarc.PolicyDomain is null || dmarc.Status is not (DmarcStatus.Pass or DmarcStatus.Fail)) return;
        var envelopeFrom = from.IsNull ? helo : from.Domain;
        var outcome = DmarcReportOutcome.From(dmarc, client, envelopeFrom, AuthenticationCheck.Keyword(spf.Result), spf.Domain,
            [.. dkim.Where(d => d.Domain is not null).Select(d => new AggregateReportDkimResult(d.Domain!, d.Selector, d.Keyword))],
            recipients.Count == 0 ? null : recipients[0].Domain);
        try
        {
            await _table.AddAsync(ToRow(outcome, dmarc.PolicyDomain, dmarc.Record.Text, clock.GetUtcNow()), ct);
        }
        catch (StorageException e)
        {
            _log.OutcomeNotRecorded(e, dmarc.FromDomain);
        }
        catch (System.Data.Common.DbException e)
        {
            _log.OutcomeNotRecorded(e, dmarc.FromDomain);
        }
    }

    public static DmarcOutcomeRow ToRow(DmarcReportOutcome o, string policyDomain, string policyRecord, DateTimeOffset at) => new(
        at, policyDomain, policyRecord, o.HeaderFrom, o.SourceIp.ToString(), o.EnvelopeFrom, o.EnvelopeTo, o.SpfResult, o.SpfDomain,
        o.SpfAligned, o.DkimAligned,
        string.Join('\n', o.DkimResults.Select(d => $"{d.Domain} {d.Selector ?? "-"} {d.Result}")),
        o.Dmarc.ToKeyword(), o.Disposition.ToKeyword(),
        string.Join('\n', o.Reasons.Select(r => $"{r.Type} {r.Comment}".TrimEnd())));

    public static DmarcReportOutcome FromRow(DmarcOutcomeRow row) => new()
    {
        SourceIp = IPAddress.Parse(row.SourceIp),
        HeaderFrom = row.HeaderFrom,
        EnvelopeFrom = row.EnvelopeFrom,
        EnvelopeTo = row.EnvelopeTo,
        SpfResult = row.SpfResult,
        SpfDomain = row.SpfDomain,
        SpfAligned = row.SpfAligned,
        DkimAligned = row.DkimAligned,
        DkimResults = [.. Lines(row.DkimResults).Select(l => l.Split(' ', 3)).Where(p => p.Length == 3)
            .Select(p => new AggregateReportDkimResult(p[0], p[1] == "-" ? null : p[1], p[2]))],
        Dmarc = row.Dmarc switch { "pass" => DmarcStatus.Pass, "fail" => DmarcStatus.Fail, _ => DmarcStatus.None },
        Disposition = DmarcKeywords.TryParsePolicy(row.Disposition, out var policy) ? policy : DmarcPolicy.None,
        Reasons = [.. Lines(row.Reasons).Select(l => l.Split(' ', 2)).Select(p => new AggregateReportReason(p[0], p.Length > 1 ? p[1] : null))],
    };

    private static IEnumerable<string> Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
}
