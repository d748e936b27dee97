using System.Globalization;
using MimeKit;

namespace Estafeta.MailAuth.Dmarc.Reports;

/// <summary>The e-mail that delivers an aggregate report to a domain's rua= addresses (RFC 9990 §3.2):
/// subject "Report Domain: ... Submitter: ... Report-ID: &lt;...&gt;", a short text part and the
/// gzip report attached as application/gzip under its RFC 9990 file name.</summary>
public static class AggregateReportMail
{
    /// <summary>The message, or null when every destination's size limit (RFC 7489 "!size") is
    /// smaller than the report.</summary>
    /// <param name="receiverDomain">Our domain, the "Submitter" and the first part of the file name.</param>
    public static MimeMessage? Create(AggregateReport report, string receiverDomain, MailboxAddress from, IEnumerable<DmarcReportUri> destinations, TimeProvider? clock = null)
    {
        var gzip = AggregateReportWriter.ToGzip(report);
        var accepted = destinations.Where(d => d.MaxSize is null || d.MaxSize >= gzip.Length).ToList();
        if (accepted.Count == 0) return null;

        var message = new MimeMessage();
        message.From.Add(from);
        foreach (var destination in accepted) message.To.Add(MailboxAddress.Parse(destination.Address));
        message.Subject = $"Report Domain: {report.Policy.Domain} Submitter: {receiverDomain} Report-ID: <{report.Metadata.ReportId}>";
        message.Date = (clock ?? TimeProvider.System).GetUtcNow();
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(receiverDomain);

        var text = new TextPart("plain")
        {
            Text = string.Create(CultureInfo.InvariantCulture,
                $"This is a DMARC aggregate report for {report.Policy.Domain} from {receiverDomain},\r\ncovering {report.Metadata.Begin:u} to {report.Metadata.End:u} ({report.MessageCount} messages).\r\n"),
        };
        var attachment = new MimePart("application", "gzip")
        {
            Content = new MimeContent(new MemoryStream(gzip)),
            ContentDisposition = new ContentDisposition(ContentDisposition.Attachment),
            ContentTransferEncoding = ContentEncoding.Base64,
            FileName = AggregateReportWriter.FileName(report, receiverDomain),
        };
        message.Body = new Multipart("mixed") { text, attachment };
        return message;
    }
}
