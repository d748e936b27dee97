using System.Globalization;
using System.Text;
using MimeKit;

namespace Estafeta.Mail.Outbound;

/// <summary>
/// Builds delivery status notifications (RFC 3464 multipart/report; RFC 3461 RET and ENVID): a human-readable part,
/// the message/delivery-status part, and the original message (RET=FULL, or no RET and small enough) or its header
/// (RET=HDRS, delay notices, large messages). From MAILER-DAEMON, Auto-Submitted (RFC 3834); sent with the null
/// sender, so it never causes another bounce.
/// </summary>
public static class DsnBuilder
{
    public const long MaxReturnedContent = 1024 * 1024;

    public static byte[] Build(
        string reportingMta,
        string to,
        string? envelopeId,
        DateTimeOffset arrival,
        DateTimeOffset now,
        IReadOnlyList<DsnRecipient> recipients,
        Stream original,
        string? ret,
        long originalSize)
    {
        var delayed = recipients.All(r => r.Action == "delayed");
        var failed = recipients.Any(r => r.Action == "failed");
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Mail Delivery System", $"MAILER-DAEMON@{reportingMta}"));
        message.To.Add(MailboxAddress.Parse(ParserOptions.Default, to));
        message.Subject = failed ? "Undelivered Mail Returned to Sender" : delayed ? "Delayed Mail (still being retried)" : "Successful Mail Delivery Report";
        message.Date = now;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId(reportingMta);
        message.Headers.Add("Auto-Submitted", "auto-replied");

        var report = new MultipartReport("delivery-status") { new TextPart("plain") { Text = HumanText(reportingMta, recipients, failed, delayed) } };
        var status = new MessageDeliveryStatus();
        var perMessage = new HeaderList
        {
            { "Reporting-MTA", $"dns; {reportingMta}" },
            { "Arrival-Date", DateUtils(arrival) },
        };
        if (!string.IsNullOrEmpty(envelopeId)) perMessage.Insert(0, new Header("Original-Envelope-Id", envelopeId));
        status.StatusGroups.Add(perMessage);
        foreach (var r in recipients)
        {
            var group = new HeaderList();
            if (r.Orcpt is { Length: > 0 } orcpt) group.Add("Original-Recipient", orcpt.Contains(';') ? orcpt : "rfc822;" + orcpt);
            group.Add("Final-Recipient", $"rfc822; {r.Address}");
            group.Add("Action", r.Action);
            group.Add("Status", r.Status);
            if (r.RemoteMta is { Length: > 0 } remote) group.Add("Remote-MTA", $"dns; {remote}");
            if (r.Diagnostic is { Length: > 0 } diagnostic) group.Add("Diagnostic-Code", $"smtp; {OneLine(diagnostic)}");
            if (r.LastAttempt is { } last) group.Add("Last-Attempt-Date", DateUtils(last));
            if (r.WillRetryUntil is { } until) group.Add("Will-Retry-Until", DateUtils(until));
            status.StatusGroups.Add(group);
        }
        report.Add(status);

        var full = !delayed && ret?.ToUpperInvariant() != "HDRS" && (ret?.ToUpperInvariant() == "FULL" || originalSize <= MaxReturnedContent);
        if (full)
        {
            report.Add(new MessagePart("rfc822") { Message = MimeMessage.Load(original) });
        }
        else
        {
            var headers = HeaderList.Load(original);
            using var bytes = new MemoryStream();
            headers.WriteTo(FormatOptions.Default, bytes);
            bytes.Write("\r\n"u8);
            bytes.Position = 0;
            report.Add(new TextRfc822Headers { Message = MimeMessage.Load(bytes) });
        }
        message.Body = report;

        using var output = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(options, output);
        return output.ToArray();
    }

    private static string HumanText(string reportingMta, IReadOnlyList<DsnRecipient> recipients, bool failed, bool delayed)
    {
        var b = new StringBuilder();
        b.Append("This is the mail system at host ").Append(reportingMta).Append(".\r\n\r\n");
        if (failed) b.Append("Your message could not be delivered to one or more recipients. It is attached below.\r\n");
        else if (delayed) b.Append("Your message could not be delivered yet. The mail system will keep trying; you do not need to send it again.\r\n");
        else b.Append("Your message was delivered to the recipients below.\r\n");
        b.Append("\r\n");
        foreach (var r in recipients)
        {
            b.Append('<').Append(r.Address).Append(">: ").Append(r.Action);
            if (r.Diagnostic is { Length: > 0 } d) b.Append(": ").Append(OneLine(d));
            b.Append("\r\n");
        }
        return b.ToString();
    }

    private static string OneLine(string text) => text.Replace("\r", " ", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal).Trim();

    private static string DateUtils(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
}
