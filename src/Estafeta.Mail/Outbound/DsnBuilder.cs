using System.Globalization;
using System.Text;
using MimeKit;

namespace Estafeta.Mail.Outbound;

/// <summary>
/// Builds delivery status notifications (RFC 3464 multipart/report; RFC 3461 RET and ENVID): a human-readable part,
/// the message/delivery-status part (its fields written as they are, one line each), and the original message
/// (RET=FULL or no RET, up to <see cref="MaxReturnedContent"/>) or its header (RET=HDRS, delay notices, larger messages,
/// with a note), its line ends made CRLF, NUL taken out and long lines broken; the global kinds of RFC 6533 and
/// RFC 6532 when they hold UTF-8. From MAILER-DAEMON, Auto-Submitted (RFC 3834); sent with the null
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

        var headersOnly = delayed || string.Equals(ret, "HDRS", StringComparison.OrdinalIgnoreCase) || originalSize > MaxReturnedContent;
        var report = new MultipartReport("delivery-status")
        {
            new TextPart("plain")
            {
                Text = HumanText(reportingMta, recipients, failed, delayed, headersOnly && !delayed && !string.Equals(ret, "HDRS", StringComparison.OrdinalIgnoreCase)),
                ContentTransferEncoding = ContentEncoding.QuotedPrintable,
            },
        };
        var status = new StringBuilder();
        if (!string.IsNullOrEmpty(envelopeId)) Field(status, "Original-Envelope-Id", envelopeId);
        Field(status, "Reporting-MTA", $"dns; {reportingMta}");
        Field(status, "Arrival-Date", DateUtils(arrival));
        foreach (var r in recipients)
        {
            status.Append("\r\n");
            if (r.Orcpt is { Length: > 0 } orcpt) Field(status, "Original-Recipient", orcpt.Contains(';') ? orcpt : "rfc822;" + orcpt);
            Field(status, "Final-Recipient", $"rfc822; {r.Address}");
            Field(status, "Action", r.Action);
            Field(status, "Status", r.Status);
            if (r.RemoteMta is { Length: > 0 } remote) Field(status, "Remote-MTA", $"dns; {remote}");
            if (r.Diagnostic is { Length: > 0 } diagnostic) Field(status, "Diagnostic-Code", $"smtp; {diagnostic}");
            if (r.LastAttempt is { } last) Field(status, "Last-Attempt-Date", DateUtils(last));
            if (r.WillRetryUntil is { } until) Field(status, "Will-Retry-Until", DateUtils(until));
        }
        // UTF-8 in a field (an SMTPUTF8 address) or in the returned header makes the part the global kind (RFC 6533 §6, RFC 6532 §3.7).
        var statusText = status.ToString();
        var deliveryStatus = new MessageDeliveryStatus { Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(statusText))) };
        if (!Ascii.IsValid(statusText)) deliveryStatus.ContentType.MediaSubtype = "global-delivery-status";
        report.Add(deliveryStatus);

        var (returned, utf8Header) = ReturnedContent(original, headersOnly);
        var (type, subtype) = (headersOnly, utf8Header) switch
        {
            (true, false) => ("text", "rfc822-headers"),
            (true, true) => ("message", "global-headers"),
            (false, false) => ("message", "rfc822"),
            _ => ("message", "global"),
        };
        report.Add(new MimePart(type, subtype) { Content = new MimeContent(new MemoryStream(returned)) });
        message.Body = report;

        using var output = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        message.WriteTo(options, output);
        return output.ToArray();
    }

    private static string HumanText(string reportingMta, IReadOnlyList<DsnRecipient> recipients, bool failed, bool delayed, bool cut)
    {
        var b = new StringBuilder();
        b.Append("This is the mail system at host ").Append(reportingMta).Append(".\r\n\r\n");
        if (failed) b.Append("Your message could not be delivered to one or more recipients. It is attached below.\r\n");
        else if (delayed) b.Append("Your message could not be delivered yet. The mail system will keep trying; you do not need to send it again.\r\n");
        else b.Append("Your message was delivered to the recipients below.\r\n");
        if (cut) b.Append("The message was too large to be returned whole: only its header is attached.\r\n");
        b.Append("\r\n");
        foreach (var r in recipients)
        {
            b.Append('<').Append(r.Address).Append(">: ").Append(r.Action);
            if (OneLine.Of(r.Diagnostic, 4096) is { } d) b.Append(": ").Append(d);
            b.Append("\r\n");
        }
        return b.ToString();
    }

    /// <summary>One field of the delivery-status part on one line: controls made spaces (<see cref="OneLine"/>) and the
    /// value cut to keep the line within 998 octets (RFC 5322 §2.1.1); written as is, never as RFC 2047 encoded-words,
    /// which the fields' grammar (RFC 3464 §2.1) does not know.</summary>
    private static void Field(StringBuilder status, string name, string value)
    {
        var room = 998 - name.Length - 2;
        var text = OneLine.Of(value, room) ?? "";
        while (Encoding.UTF8.GetByteCount(text) > room) text = text[..(char.IsLowSurrogate(text[^1]) ? ^2 : ^1)];
        status.Append(name).Append(": ").Append(text.TrimEnd()).Append("\r\n");
    }

    /// <summary>The original to return, made fit for a message: CRLF line ends (bare CR and LF become CRLF), no NUL,
    /// lines of at most 998 octets (a longer header line folded, a longer body line broken), at most
    /// <see cref="MaxReturnedContent"/> octets; with <paramref name="headersOnly"/> only the header. Also whether the
    /// header has 8-bit octets (UTF-8 headers, RFC 6532).</summary>
    private static (byte[] Content, bool Utf8Header) ReturnedContent(Stream original, bool headersOnly)
    {
        var output = new MemoryStream();
        var inHeader = true;
        var utf8Header = false;
        var lineLength = 0;
        var input = new BufferedStream(original);
        var afterCr = false;
        int c;
        while (output.Length < MaxReturnedContent && (c = input.ReadByte()) >= 0)
        {
            var lf = c == '\n' && afterCr;
            afterCr = c == '\r';
            if (lf) continue;
            if (c is '\r' or '\n')
            {
                if (lineLength == 0 && inHeader)
                {
                    if (headersOnly) break;
                    inHeader = false;
                }
                output.Write("\r\n"u8);
                lineLength = 0;
                continue;
            }
            if (c == 0) continue;
            if (lineLength == 998)
            {
                output.Write(inHeader ? "\r\n "u8 : "\r\n"u8);
                lineLength = inHeader ? 1 : 0;
            }
            if (c >= 0x80 && inHeader) utf8Header = true;
            output.WriteByte((byte)c);
            lineLength++;
        }
        if (lineLength > 0) output.Write("\r\n"u8);
        return (output.ToArray(), utf8Header);
    }

    private static string DateUtils(DateTimeOffset time) =>
        time.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
}
