using MimeKit;

namespace Estafeta.MailAuth.Dmarc.Reports;

/// <summary>Tries the attachments of a report mail in turn, for DMARC aggregate reports and TLS reports alike:
/// each part's content is decoded (base64, quoted-printable) and read, and the first report read is the answer.
/// When none is, the failure carries the first error met, which is the one that explains the most.</summary>
internal static class ReportAttachments
{
    /// <param name="read">reads one decoded attachment</param>
    /// <param name="errorOf">the error of a result, or null when it holds a report</param>
    /// <param name="failed">makes the failure result from an error</param>
    public static T ReadFirst<T>(IEnumerable<MimePart> parts, Func<byte[], T> read, Func<T, string?> errorOf, Func<string, T> failed)
    {
        string? firstError = null;
        foreach (var part in parts)
        {
            if (part.Content is null) continue;
            using var decoded = new MemoryStream();
            try
            {
                part.Content.DecodeTo(decoded);
            }
            catch (FormatException e)
            {
                firstError ??= $"the attachment {part.FileName} cannot be decoded: {e.Message}";
                continue;
            }
            var result = read(decoded.ToArray());
            var error = errorOf(result);
            if (error is null) return result;
            firstError ??= error;
        }
        return failed(firstError ?? "the e-mail carries no readable report");
    }
}
