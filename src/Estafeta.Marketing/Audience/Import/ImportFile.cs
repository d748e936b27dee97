using System.Security.Cryptography;
using System.Text;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// What an import needs to know about a file before reading it: its SHA-256 (which identifies the import to
/// resume), its text encoding (a byte order mark; else UTF-8 when every byte sequence is valid UTF-8; else
/// Windows-1252, the superset of Latin-1 that spreadsheet programs write), and whether it is JSON lines.
/// </summary>
public sealed record ImportFile(string Path, string Hash, long Length, Encoding Encoding, string EncodingName, ImportFormat Format)
{
    static ImportFile() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    public static async Task<ImportFile> InspectAsync(string path, ImportFormat? format = null, CancellationToken ct = default)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.Asynchronous | FileOptions.SequentialScan);
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var decoder = new UTF8Encoding(false, throwOnInvalidBytes: true).GetDecoder();
        var buffer = new byte[1 << 16];
        var chars = new char[buffer.Length + 4];
        var utf8 = true;
        var first = true;
        var bom = "";
        int read;
        while ((read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            sha.AppendData(buffer, 0, read);
            if (first)
            {
                first = false;
                bom = read >= 3 && buffer[0] == 0xEF && buffer[1] == 0xBB && buffer[2] == 0xBF ? "utf-8 (BOM)"
                    : read >= 2 && buffer[0] == 0xFF && buffer[1] == 0xFE ? "utf-16le (BOM)"
                    : read >= 2 && buffer[0] == 0xFE && buffer[1] == 0xFF ? "utf-16be (BOM)"
                    : "";
                // UTF-16 text of a CSV or JSON file holds NUL octets (the high octet of its delimiters, quotes and braces),
                // so FF FE or FE FF followed by none is not a byte order mark: a Windows-1252 file beginning "ÿþ" or "þÿ".
                if (bom.StartsWith("utf-16", StringComparison.Ordinal) && read > 2 && !buffer.AsSpan(2, read - 2).Contains((byte)0)) bom = "";
                // Text in UTF-8 or Windows-1252 has no NUL octet; a program, an archive or a spreadsheet file does (so does
                // UTF-16 without its byte order mark). Said at once, instead of a header of garbage that cannot be mapped.
                if (!bom.StartsWith("utf-16", StringComparison.Ordinal) && buffer.AsSpan(0, read).Contains((byte)0))
                {
                    throw new Estafeta.Storage.InvalidInputException(
                        $"{System.IO.Path.GetFileName(path)} is not a text file (it holds NUL octets): save it as CSV (UTF-8 or Windows-1252, or UTF-16 with its byte order mark) or as JSON lines");
                }
            }

            if (utf8 && bom.Length == 0)
            {
                try
                {
                    decoder.GetChars(buffer, 0, read, chars, 0, flush: false);
                }
                catch (DecoderFallbackException)
                {
                    utf8 = false;
                }
            }
        }

        if (utf8 && bom.Length == 0)
        {
            try
            {
                decoder.GetChars([], 0, 0, chars, 0, flush: true);
            }
            catch (DecoderFallbackException)
            {
                utf8 = false;
            }
        }

        var (encoding, name) = bom switch
        {
            "utf-8 (BOM)" => (new UTF8Encoding(false), bom),
            "utf-16le (BOM)" => (Encoding.Unicode, bom),
            "utf-16be (BOM)" => (Encoding.BigEndianUnicode, bom),
            _ when utf8 => ((Encoding)new UTF8Encoding(false), "utf-8"),
            _ => (Encoding.GetEncoding(1252), "windows-1252 (Latin-1)"),
        };
        var detected = format ?? (path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase)
            ? ImportFormat.JsonLines
            : ImportFormat.Csv);
        return new ImportFile(path, Convert.ToHexStringLower(sha.GetHashAndReset()), stream.Length, encoding, name, detected);
    }

    /// <summary>A reader over the file's text; a byte order mark is skipped. The reader looks for one only when
    /// <see cref="InspectAsync"/> found it: a Windows-1252 file may begin with the octets of one.</summary>
    public StreamReader OpenText(out Stream raw)
    {
        raw = new FileStream(Path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);
        var marked = EncodingName.EndsWith("(BOM)", StringComparison.Ordinal);
        return new StreamReader(raw, Encoding, detectEncodingFromByteOrderMarks: marked, bufferSize: 1 << 16);
    }
}

public enum ImportFormat
{
    Csv,
    JsonLines,
}
