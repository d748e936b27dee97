using System.IO.Compression;
using System.Text;
using MimeKit;

namespace Estafeta.MailAuth.Dmarc.Reports;

/// <summary>Reads aggregate reports as they arrive: XML, gzip, zip, or an e-mail carrying one of
/// those as an attachment (or as its whole body). Nothing thrown by a broken input escapes: every
/// failure is a result with an error saying what is wrong.</summary>
public static class AggregateReportReader
{
    /// <summary>The most a report may expand to, all its compressed layers together (reports of large senders reach tens
    /// of megabytes).</summary>
    public const long MaxDecompressedBytes = 256L * 1024 * 1024;

    private const int MaxNesting = 4;

    public static AggregateReportReadResult ReadFile(string path)
    {
        byte[] content;
        try
        {
            content = File.ReadAllBytes(path);
        }
        catch (IOException e)
        {
            return new AggregateReportReadResult(null, $"cannot read {path}: {e.Message}", "file");
        }
        catch (UnauthorizedAccessException e)
        {
            return new AggregateReportReadResult(null, $"cannot read {path}: {e.Message}", "file");
        }
        return Read(content);
    }

    public static AggregateReportReadResult Read(byte[] content) => Read(content, MaxDecompressedBytes);

    /// <summary>Reads with <paramref name="limit"/> in place of <see cref="MaxDecompressedBytes"/> (tests use small ones).</summary>
    internal static AggregateReportReadResult Read(byte[] content, long limit)
    {
        try
        {
            return Read(content, string.Empty, 0, [], new ExpansionBudget(limit));
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or ArgumentException or NotSupportedException or IOException)
        {
            // The readers above turn every failure they know of into a result; this is the last line
            // for a library throwing on input nobody anticipated.
            return Failed("input", $"the report cannot be read: {e.Message}");
        }
    }

    public static async Task<AggregateReportReadResult> ReadAsync(Stream stream, CancellationToken ct = default)
    {
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, ct).ConfigureAwait(false);
        return Read(buffer.ToArray());
    }

    private static AggregateReportReadResult Read(byte[] content, string container, int depth, IReadOnlyList<string> warnings, ExpansionBudget budget)
    {
        if (depth > MaxNesting) return Failed(container, "the report is nested too deeply in archives and attachments");
        var span = content.AsSpan();
        if (span.IsEmpty) return Failed(container, "the input is empty");
        if (GzipMember.IsGzip(span))
        {
            var where = Step(container, "gzip");
            return GzipMember.TryDecompress(content, budget, out var inflated, out var error)
                ? Read(inflated, where, depth + 1, warnings, budget)
                : Failed(where, error);
        }
        if (span.StartsWith("PK\u0003\u0004"u8)) return ReadZip(content, Step(container, "zip"), depth, warnings, budget);
        if (LooksLikeXml(span)) return ReadXml(content, Step(container, "xml"), warnings);
        return ReadMessage(content, Step(container, "eml"), depth, warnings, budget);
    }

    private static AggregateReportReadResult ReadXml(byte[] content, string container, IReadOnlyList<string> warnings) =>
        AggregateReportXmlParser.TryParse(content, warnings, out var report, out var error)
            ? new AggregateReportReadResult(report, null, container)
            : Failed(container, error);

    private static AggregateReportReadResult ReadZip(byte[] content, string container, int depth, IReadOnlyList<string> warnings, ExpansionBudget budget)
    {
        try
        {
            using var archive = new ZipArchive(new MemoryStream(content), ZipArchiveMode.Read);
            var entries = archive.Entries.Where(e => e.Length > 0 && !e.FullName.EndsWith('/')).ToList();
            var entry = entries.FirstOrDefault(e => e.Name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase)) ?? entries.FirstOrDefault();
            if (entry is null) return Failed(container, "the zip archive holds no file");
            if (entry.Length > budget.Remaining) return Failed(container, $"{entry.FullName} expands to {entry.Length} bytes: {budget.Exceeded}");
            using var stream = entry.Open();
            if (!BoundedCopy.TryReadAll(stream, budget, out var inflated, out var error)) return Failed(container, error);
            var more = entries.Count > 1 ? warnings.Append($"the zip archive holds {entries.Count} files; {entry.FullName} was read").ToArray() : warnings;
            return Read(inflated, container, depth + 1, more, budget);
        }
        catch (InvalidDataException e)
        {
            return Failed(container, "the zip archive is corrupt: " + e.Message);
        }
    }

    private static AggregateReportReadResult ReadMessage(byte[] content, string container, int depth, IReadOnlyList<string> warnings, ExpansionBudget budget)
    {
        MimeMessage message;
        try
        {
            message = MimeMessage.Load(new MemoryStream(content));
        }
        catch (FormatException e)
        {
            return Failed(container, "the input is not XML, gzip, zip or an e-mail message: " + e.Message);
        }
        if (message.Headers.Count == 0) return Failed(container, "the input is not XML, gzip, zip or an e-mail message");

        var candidates = message.BodyParts.OfType<MimePart>().Where(IsReportPart).ToList();
        if (candidates.Count == 0)
            return Failed(container, "the e-mail carries no report attachment (no gzip, zip or XML part)");
        return ReportAttachments.ReadFirst(candidates, bytes => Read(bytes, container, depth + 1, warnings, budget),
            result => result.Success ? null : result.Error ?? "the attachment holds no report", error => Failed(container, error));
    }

    private static bool IsReportPart(MimePart part)
    {
        var type = part.ContentType?.MimeType?.ToLowerInvariant() ?? string.Empty;
        if (type is "application/gzip" or "application/x-gzip" or "application/zip" or "application/x-zip-compressed" or "application/x-zip"
            or "text/xml" or "application/xml") return true;
        var name = part.FileName ?? string.Empty;
        return name.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".gz", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".zip", StringComparison.OrdinalIgnoreCase) || name.EndsWith(".xml.gz", StringComparison.OrdinalIgnoreCase);
    }

    private static bool LooksLikeXml(ReadOnlySpan<byte> span)
    {
        if (span.StartsWith(Encoding.UTF8.Preamble)) span = span[3..];
        span = span.TrimStart(" \t\r\n"u8);
        return span.StartsWith("<"u8);
    }

    private static string Step(string container, string step) => container.Length == 0 ? step : container + " > " + step;

    private static AggregateReportReadResult Failed(string container, string error) => new(null, error, container);
}
