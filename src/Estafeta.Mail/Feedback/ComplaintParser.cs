using MimeKit;

namespace Estafeta.Mail.Feedback;

/// <summary>
/// Reads ARF complaint reports (RFC 5965): a multipart/report with report-type=feedback-report whose second part is
/// message/feedback-report (Feedback-Type, User-Agent, Version, Original-Mail-From, Original-Rcpt-To) and whose third
/// is the original message or its header. Returns null for anything else.
/// </summary>
public static class ComplaintParser
{
    public static Complaint? Parse(MimeMessage message)
    {
        if (message.Body is not MultipartReport report || !string.Equals(report.ReportType, "feedback-report", StringComparison.OrdinalIgnoreCase)) return null;
        var feedback = report.FirstOrDefault(p => p.ContentType.IsMimeType("message", "feedback-report"));
        if (feedback is null) return null;

        HeaderList fields;
        using (var content = new MemoryStream())
        {
            switch (feedback)
            {
                case MimePart part when part.Content is not null: part.Content.DecodeTo(content); break;
                case MessagePart mp when mp.Message is not null: mp.Message.Headers.WriteTo(content); break;
                default: return null;
            }
            content.Write("\r\n"u8);
            content.Position = 0;
            try { fields = HeaderList.Load(content); }
            catch (FormatException) { return null; }
        }

        // The fields go on into the outbound events: the texts one bounded line, an address only when it looks like one.
        var type = OneLine.Of(Field(fields, "Feedback-Type"), 100);
        if (type is null) return null;
        var original = report.Skip(2).Select(Headers).FirstOrDefault(h => h is not null);
        return new Complaint(
            type.ToLowerInvariant(),
            OneLine.Of(Field(fields, "User-Agent"), 500),
            FeedbackText.Address(Field(fields, "Original-Mail-From")),
            FeedbackText.Address(Field(fields, "Original-Rcpt-To")),
            original is null ? null : OneLine.Of(Field(original, "Message-ID")?.Trim().Trim('<', '>'), 998),
            original is null ? null : FeedbackText.Address(Field(original, "Return-Path")),
            original is null ? [] : AddressesOf(original, "To"));
    }

    private static HeaderList? Headers(MimeEntity entity) => entity switch
    {
        MessagePart { Message: { } m } => m.Headers,
        TextPart t when t.ContentType.IsMimeType("text", "rfc822-headers") => LoadHeaders(t.Text),
        _ => null,
    };

    private static HeaderList? LoadHeaders(string text)
    {
        try { return HeaderList.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(text.TrimEnd() + "\r\n\r\n"))); }
        catch (FormatException) { return null; }
    }

    private static string? Field(HeaderList headers, string name)
    {
        var i = headers.IndexOf(name);
        return i < 0 ? null : headers[i].Value.Trim();
    }

    private static IReadOnlyList<string> AddressesOf(HeaderList headers, string name)
    {
        var value = Field(headers, name);
        if (value is null || !InternetAddressList.TryParse(value, out var list)) return [];
        return [.. list.Mailboxes.Select(m => FeedbackText.Address(m.Address)).OfType<string>()];
    }
}
