using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using Estafeta.MailAuth.Dns;
using Estafeta.MailAuth.TlsRpt;
using Estafeta.Storage;
using MimeKit;

namespace Estafeta.Mail.Outbound;

/// <summary>
/// SMTP TLS reporting (RFC 8460): counts each session with an MX of a domain that has an MTA-STS policy (or whose
/// policy could not be fetched), per UTC day, by result; once a day is over, sends each such domain that publishes a
/// <c>_smtp._tls</c> record (<see cref="TlsRptRecord"/>) with a <c>mailto:</c> address its JSON report, gzipped, in a multipart/report.
/// </summary>
internal sealed class TlsReporter(MailEngine engine, TlsReportStore store, OutboundLog log)
{
    private DateTimeOffset _nextRun;

    public async Task CountAsync(DeliveryPlan plan, string mxHost, string result, DateTimeOffset now, CancellationToken ct)
    {
        if (plan.PolicyDomain is null || (plan.Sts is null && plan.StsFetchFailure is null)) return;
        var type = plan.Sts is null ? "no-policy-found" : "sts";
        var text = plan.Sts?.Text ?? "";
        await store.AddAsync(Day(now), plan.PolicyDomain, type, text, mxHost, plan.Sts is null ? plan.StsFetchFailure! : result, ct);
    }

    /// <summary>Sends the reports of finished days not sent yet (checked at most once an hour).</summary>
    public async Task SendDueAsync(DateTimeOffset now, CancellationToken ct)
    {
        if (now < _nextRun) return;
        _nextRun = now + TimeSpan.FromHours(1);
        await SendAsync(now, ct);
    }

    /// <summary>How long a day's report waits for the policy domain's <c>_smtp._tls</c> record to be readable: while
    /// its lookup fails temporarily the report is kept and tried again at the next run (an hour later); after this,
    /// the day is given up.</summary>
    public static readonly TimeSpan LookupRetryPeriod = TimeSpan.FromDays(3);

    public async Task SendAsync(DateTimeOffset now, CancellationToken ct)
    {
        var pending = await store.PendingAsync(Day(now), ct);
        foreach (var group in pending.GroupBy(c => (c.Day, c.PolicyDomain)))
        {
            var (day, domain) = group.Key;
            var txt = await engine.Dns.TxtAsync("_smtp._tls." + domain, ct);
            if (txt.Status == DnsStatus.TemporaryFailure)
            {
                var givenUp = now >= DateTimeOffset.ParseExact(day, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal) + TimeSpan.FromDays(1) + LookupRetryPeriod;
                log.TlsReportLookupFailed(domain, day, givenUp ? "the day's report is given up" : "tried again in an hour");
                if (!givenUp) continue;
            }

            foreach (var address in ReportAddresses(txt.Records))
            {
                var content = Build(day, domain, [.. group], now);
                var receipt = await engine.SubmitAsync(new LocalSubmission("", [address], content), ct);
                if (receipt.RefusedRecipients.Count > 0) log.TlsReportRefused(domain, day, address);
                else log.TlsReportSent(domain, day, address);
            }
            await store.MarkSentAsync(day, domain, ct);
        }
    }

    /// <summary>The mailto: addresses of the domain's TLS-RPT record, read as RFC 8460 §3 says: exactly one valid
    /// v=TLSRPTv1 record, else the domain does not want reports. https: URIs are not used: reports are sent by mail only.</summary>
    private static IReadOnlyList<string> ReportAddresses(IReadOnlyList<string> txt) => TlsRptRecord.Select(txt)?.MailtoAddresses ?? [];

    /// <summary>The report mail: JSON per RFC 8460 §4, gzipped, as application/tlsrpt+gzip in a multipart/report.</summary>
    public byte[] Build(string day, string domain, IReadOnlyList<TlsSessionCount> counts, DateTimeOffset now)
    {
        var host = engine.Options.HostName;
        var reportId = $"{day}.{domain}@{host}";
        var json = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object>
        {
            ["organization-name"] = host,
            ["date-range"] = new Dictionary<string, string> { ["start-datetime"] = $"{day}T00:00:00Z", ["end-datetime"] = $"{day}T23:59:59Z" },
            ["contact-info"] = $"postmaster@{host}",
            ["report-id"] = reportId,
            ["policies"] = new[]
            {
                new Dictionary<string, object>
                {
                    ["policy"] = new Dictionary<string, object>
                    {
                        ["policy-type"] = counts[0].PolicyType,
                        ["policy-string"] = counts[0].PolicyText.Split('\n', StringSplitOptions.RemoveEmptyEntries),
                        ["policy-domain"] = domain,
                        ["mx-host"] = counts.Select(c => c.MxHost).Distinct().ToArray(),
                    },
                    ["summary"] = new Dictionary<string, long>
                    {
                        ["total-successful-session-count"] = counts.Where(c => c.Result == "success").Sum(c => c.Sessions),
                        ["total-failure-session-count"] = counts.Where(c => c.Result != "success").Sum(c => c.Sessions),
                    },
                    ["failure-details"] = counts.Where(c => c.Result != "success").Select(c => new Dictionary<string, object>
                    {
                        ["result-type"] = c.Result,
                        ["receiving-mx-hostname"] = c.MxHost,
                        ["failed-session-count"] = c.Sessions,
                    }).ToArray(),
                },
            },
        });
        using var gz = new MemoryStream();
        using (var zip = new GZipStream(gz, CompressionLevel.Optimal, leaveOpen: true)) zip.Write(json);

        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("TLS reports", $"noreply-tls-reports@{host}"));
        message.Subject = $"Report Domain: {domain} Submitter: {host} Report-ID: <{reportId}>";
        message.Date = now;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(host);
        message.Headers.Add("TLS-Report-Domain", domain);
        message.Headers.Add("TLS-Report-Submitter", host);
        message.Headers.Add("Auto-Submitted", "auto-generated");
        var report = new MultipartReport("tlsrpt")
        {
            new TextPart("plain") { Text = $"This is an aggregate TLS report from {host} for {domain} on {day}.\r\n" },
            new MimePart("application", "tlsrpt+gzip")
            {
                Content = new MimeContent(new MemoryStream(gz.ToArray())),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = $"{host}!{domain}!{day.Replace("-", "", StringComparison.Ordinal)}!{reportId.GetHashCode(StringComparison.Ordinal).ToString("x8", CultureInfo.InvariantCulture)}.json.gz",
            },
        };
        message.Body = report;
        using var output = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(options, output);
        return output.ToArray();
    }

    private static string Day(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
