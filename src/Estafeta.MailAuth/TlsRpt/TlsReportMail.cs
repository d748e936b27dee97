using MimeKit;

namespace Estafeta.MailAuth.TlsRpt;

/// <summary>Tells a mail that is recognisably an SMTP TLS report (RFC 8460 §5.3) from other mail, without reading the
/// report: a TLS-Report-Domain or TLS-Report-Submitter header field, a multipart/report; report-type=tlsrpt body, or an
/// application/tlsrpt+gzip or application/tlsrpt+json part. Used where reports arrive among other mail (postmaster@).</summary>
public static class TlsReportMail
{
    /// <summary>True when the mail is recognisably a TLS report. The header fields decide first; the body is parsed
    /// (through <paramref name="openContent"/>, the whole mail) only when it is multipart and they did not.</summary>
    public static bool IsReport(HeaderList headers, Func<Stream> openContent)
    {
        if (headers.Contains("TLS-Report-Domain") || headers.Contains("TLS-Report-Submitter")) return true;
        if (headers["Content-Type"] is not { } value || !ContentType.TryParse(value, out var type)) return false;
        if (IsReportType(type)) return true;
        if (!type.IsMimeType("multipart", "*")) return false;
        try
        {
            using var content = openContent();
            var message = MimeMessage.Load(content);
            return message.BodyParts.Any(part => IsReportType(part.ContentType));
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private static bool IsReportType(ContentType type) =>
        (type.IsMimeType("multipart", "report") && string.Equals(type.Parameters["report-type"]?.Trim(), "tlsrpt", StringComparison.OrdinalIgnoreCase))
        || type.IsMimeType("application", "tlsrpt+gzip")
        || type.IsMimeType("application", "tlsrpt+json");
}
