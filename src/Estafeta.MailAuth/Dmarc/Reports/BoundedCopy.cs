namespace Estafeta.MailAuth.Dmarc.Reports;

/// <summary>Reads a decompressing stream to the end, refusing more than a limit (a compressed
/// report of a few kilobytes can otherwise expand to gigabytes).</summary>
internal static class BoundedCopy
{
    public static bool TryReadAll(Stream source, long maxLength, out byte[] output, out string error)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = source.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > maxLength)
            {
                output = [];
                error = $"the report expands to more than {maxLength} bytes";
                return false;
            }
            buffer.Write(chunk, 0, read);
        }
        output = buffer.ToArray();
        error = string.Empty;
        return true;
    }
}
