using System.Globalization;
using Estafeta.MailAuth.Dmarc;
using Estafeta.MailAuth.Dmarc.Reports;
using Estafeta.Storage;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Estafeta.Mail.Authentication;

/// <summary>What the report run did for one policy domain.</summary>
public sealed record DmarcReportRun(string Domain, string Day, string Outcome, long Messages, IReadOnlyList<string> Destinations, string? QueueId);

/// <summary>
/// The daily aggregate reports out (RFC 9990): for each policy domain whose mail the MX received on a UTC day,
/// one gzip XML report to the rua= addresses its DMARC record names (external ones only when they publish the
/// authorisation record), queued through <see cref="MailEngine.SubmitAsync"/>. A day's report for a domain is
/// sent once; outcomes older than a week are then forgotten.
/// </summary>
public sealed class DmarcReportSender(MailEngine engine, ILogger log)
{
    private static readonly TimeSpan KeepOutcomes = TimeSpan.FromDays(7);
    private readonly DmarcOutcomeTable _outcomes = new(engine.Database);
    private readonly AuthenticationLog _log = new(log);

    public string ReporterAddress => "dmarc-noreply@" + engine.Options.HostName;

    public async Task<IReadOnlyList<DmarcReportRun>> SendAsync(DateOnly day, CancellationToken ct)
    {
        var begin = new DateTimeOffset(day.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
        var end = begin.AddDays(1);
        var dayText = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var runs = new List<DmarcReportRun>();
        foreach (var group in (await _outcomes.ListAsync(begin, end, ct)).GroupBy(o => o.PolicyDomain).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var run = await SendDomainAsync(group.Key, dayText, begin, end, group.ToList(), ct);
            if (run.QueueId is null) _log.ReportNotSent(run.Domain, dayText, run.Outcome);
            else _log.ReportSent(run.Domain, dayText, run.Messages, string.Join(", ", run.Destinations));
            runs.Add(run);
        }
        await _outcomes.DeleteBeforeAsync(engine.Clock.GetUtcNow() - KeepOutcomes, ct);
        return runs;
    }

    private async Task<DmarcReportRun> SendDomainAsync(string domain, string day, DateTimeOffset begin, DateTimeOffset end, List<DmarcOutcomeRow> outcomes, CancellationToken ct)
    {
        DmarcReportRun Skip(string why) => new(domain, day, why, outcomes.Count, [], null);
        if (await _outcomes.ReportSentAsync(domain, day, ct)) return Skip("already sent");
        if (!DmarcRecord.TryParse(outcomes[^1].PolicyRecord, out var record, out _) || record!.AggregateReportUris.Count == 0)
            return Skip("its DMARC record asks for no aggregate reports (no rua=)");
        var destinations = await new ReportDestinationVerifier(engine.Dns).VerifyAsync(domain, record.AggregateReportUris, ct);
        if (destinations.Count == 0) return Skip("no rua= destination is authorised to receive its reports");

        var hostName = engine.Options.HostName;
        var reportId = string.Create(CultureInfo.InvariantCulture, $"{hostName}.{domain}.{begin:yyyyMMdd}");
        var report = AggregateReportBuilder.Build(
            new AggregateReportMetadata
            {
                OrgName = hostName, Email = ReporterAddress, ReportId = reportId, Begin = begin, End = end.AddSeconds(-1), Generator = "Estafeta",
            },
            AggregateReportPolicy.FromRecord(domain, record),
            outcomes.Select(DmarcOutcomeRecorder.FromRow));
        var mail = AggregateReportMail.Create(report, hostName, new MailboxAddress("DMARC reports", ReporterAddress), destinations, engine.Clock);
        if (mail is null) return Skip("the report is larger than every rua= destination accepts");

        using var wire = new MemoryStream();
        await mail.WriteToAsync(new FormatOptions { NewLineFormat = NewLineFormat.Dos }, wire, ct);
        var addresses = destinations.Select(d => d.Address).ToList();
        var receipt = await engine.SubmitAsync(new LocalSubmission("", addresses, wire.ToArray()), ct);
        var delivered = addresses.Except(receipt.RefusedRecipients, StringComparer.OrdinalIgnoreCase).ToList();
        // The day counts as done either way: a rua= address of this server with no mailbox will not grow one by retrying.
        await _outcomes.MarkReportSentAsync(domain, day, reportId, report.MessageCount, string.Join(' ', delivered), ct);
        return delivered.Count == 0
            ? Skip($"every rua= address is an address of this server with no mailbox ({string.Join(", ", addresses)})")
            : new DmarcReportRun(domain, day, "queued", report.MessageCount, delivered, receipt.QueueId);
    }
}
