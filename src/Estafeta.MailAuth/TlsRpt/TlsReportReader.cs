using System.Text;
using Estafeta.MailAuth.Dmarc.Reports;
using MimeKit;

namespace Estafeta.MailAuth.TlsRpt;

/// <summary>Reads TLS reports as they arrive: the report mail of RFC 8460 §5.3 (multipart/report;
/// report-type="tlsrpt" with an application/tlsrpt+gzip or application/tlsrpt+json part), a mail whose sender
/// labels the attachment loosely (application/gzip, application/json, application/octet-stream named .json or
/// .json.gz), or the JSON itself, gzipped or not. Nothing thrown by a broken input escapes: every failure is a
/// result with an error saying what is wrong.</summary>
public static class TlsReportReader
{
    /// <summary>The most a report may expand to. Reports of the largest senders are a few hundred kilobytes.</summary>
    public const long MaxDecompressedBytes = 10L * 1024 * 1024;

    /// <summary>The most of the input read (a report mail; the SMTP size limit applies first).</summary>
    public const long MaxInputBytes = 64L * 1024 * 1024;

    /// <summary>Attachments tried in one mail before giving up.</summary>
    public const int MaxAttachmentsTried = 10;

    private const int MaxNesting = 3;

    public static TlsReportReadResult Read(byte[] content) => Read(content, MaxDecompressedBytes);

    /// <summary>Reads with <paramref name="limit"/> in place of <see cref="MaxDecompressedBytes"/> (tests use small ones).</summary>
    internal static TlsReportReadResult Read(byte[] content, long limit)
    {
        try
        {
            return Read(content, string.Empty, 0, null, new ExpansionBudget(limit));
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException or NotSupportedException or IOException)
        {
            // The readers below turn every failure they know of into a result; this is the last line for a
            // library throwing on input nobody anticipated.
            return Failed("input", $"the report cannot be read: {e.Message}");
        }
    }

    public static async Task<TlsReportReadResult> ReadAsync(Stream stream, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, ct).ConfigureAwait(false)) > 0)
        {
            if (buffer.Length + read > MaxInputBytes) return Failed("input", $"the input is larger than {MaxInputBytes} bytes");
            buffer.Write(chunk, 0, read);
        }
        return Read(buffer.ToArray());
    }

    private sealed record MailFields(string? ReportDomain, string? Submitter, IReadOnlyList<string> Warnings);

    private static TlsReportReadResult Read(byte[] content, string container, int depth, MailFields? mail, ExpansionBudget budget)
    {
        if (depth > MaxNesting) return Failed(container, "the report is nested too deeply in compression and attachments");
        var span = content.AsSpan();
        if (span.IsEmpty) return Failed(container, "the input is empty");
        if (GzipMember.IsGzip(span))
        {
            var where = Step(container, "gzip");
            return GzipMember.TryDecompress(content, budget, out var inflated, out var error)
                ? Read(inflated, where, depth + 1, mail, budget)
                : Failed(where, error);
        }
        if (span.StartsWith("PK\u0003\u0004"u8)) return Failed(Step(container, "zip"), "a zip archive is not a TLS report format (RFC 8460 reports are JSON, gzipped or not)");
        if (LooksLikeJson(span))
        {
            if (content.LongLength > MaxDecompressedBytes) return Failed(Step(container, "json"), $"the report is larger than {MaxDecompressedBytes} bytes");
            return ReadJson(content, Step(container, "json"), mail);
        }
        return mail is null ? ReadMessage(content, Step(container, "eml"), depth, budget) : Failed(container, "the attachment is not JSON or gzip");
    }

    private static TlsReportReadResult ReadJson(byte[] content, string container, MailFields? mail)
    {
        if (!TlsReportJsonParser.TryParse(content, out var report, out var error)) return Failed(container, error);
        if (mail is null) return new TlsReportReadResult(report, null, container);
        var warnings = report!.Warnings.Concat(mail.Warnings).ToList();
        if (mail.ReportDomain is { } domain && report.Policies.Count > 0
            && !report.Policies.Any(p => p.PolicyDomain.Equals(domain.Trim().TrimEnd('.'), StringComparison.OrdinalIgnoreCase)))
            warnings.Add($"TLS-Report-Domain {domain} names none of the report's policy domains");
        return new TlsReportReadResult(report with { ReportDomainHeader = mail.ReportDomain?.Trim(), SubmitterHeader = mail.Submitter?.Trim(), Warnings = warnings }, null, container);
    }

    private static TlsReportReadResult ReadMessage(byte[] content, string container, int depth, ExpansionBudget budget)
    {
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(new MemoryStream(content));
        }
        catch (FormatException e)
        {
            return Failed(container, "the input is not JSON, gzip or an e-mail message: " + e.Message);
        }
        if (message.Headers.Count == 0) return Failed(container, "the input is not JSON, gzip or an e-mail message");

        var warnings = new List<string>();
        var type = message.Body?.ContentType;
        if (type is null || !type.IsMimeType("multipart", "report") || !string.Equals(type.Parameters["report-type"], "tlsrpt", StringComparison.OrdinalIgnoreCase))
            warnings.Add($"the mail is {type?.MimeType ?? "without a body"}, not multipart/report; report-type=\"tlsrpt\"");
        var mail = new MailFields(Field(message, "TLS-Report-Domain"), Field(message, "TLS-Report-Submitter"), warnings);
        if (mail.Submitter is null) warnings.Add("the mail has no TLS-Report-Submitter field");

        var candidates = message.BodyParts.OfType<MimePart>().Where(IsReportPart).OrderBy(Preference).Take(MaxAttachmentsTried).ToList();
        if (candidates.Count == 0)
            return Failed(container, "the e-mail carries no report attachment (no application/tlsrpt+gzip, tlsrpt+json, gzip or JSON part)");
        return ReportAttachments.ReadFirst(candidates, bytes => Read(bytes, container, depth + 1, mail, budget),
            result => result.Success ? null : result.Error ?? "the attachment holds no report", error => Failed(container, error));
    }

    private static string? Field(MimeMessage message, string name)
    {
        var value = message.Headers[name];
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim().Length > 255 ? value.Trim()[..255] : value.Trim();
    }

    private static bool IsReportPart(MimePart part)
    {
        var type = part.ContentType?.MimeType?.ToLowerInvariant() ?? string.Empty;
        if (type is "application/tlsrpt+gzip" or "application/tlsrpt+json" or "application/gzip" or "application/x-gzip"
            or "application/json" or "text/json") return true;
        var name = part.FileName ?? string.Empty;
        return name.EndsWith(".json", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".json.gz", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>The parts RFC 8460 names come first; loosely labelled ones after.</summary>
    private static int Preference(MimePart part) => part.ContentType?.MimeType?.ToLowerInvariant() switch
    {
        "application/tlsrpt+gzip" or "application/tlsrpt+json" => 0,
        "application/gzip" or "application/x-gzip" or "application/json" => 1,
        _ => 2,
    };

    private static bool LooksLikeJson(ReadOnlySpan<byte> span)
    {
        if (span.StartsWith(Encoding.UTF8.Preamble)) span = span[3..];
        span = span.TrimStart(" \t\r\n"u8);
        return span.StartsWith("{"u8) || span.StartsWith("["u8);
    }

    private static string Step(string container, string step) => container.Length == 0 ? step : container + " > " + step;

    private static TlsReportReadResult Failed(string container, string error) => new(null, error, container);
}
