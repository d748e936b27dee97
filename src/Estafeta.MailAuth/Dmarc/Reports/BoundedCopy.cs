namespace Estafeta.MailAuth.Dmarc.Reports;

/// <summary>Reads a decompressing stream to the end, refusing more than the report's budget has left (a compressed
/// report of a few kilobytes can otherwise expand to gigabytes); what is read is spent from it.</summary>
internal static class BoundedCopy
{
    public static bool TryReadAll(Stream source, ExpansionBudget budget, out byte[] output, out string error)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = source.Read(chunk, 0, chunk.Length)) > 0)
        {
            if (buffer.Length + read > budget.Remaining)
            {
                output = [];
                error = budget.Exceeded;
                return false;
            }
            buffer.Write(chunk, 0, read);
        }
        output = buffer.ToArray();
        budget.Spend(output.LongLength);
        error = string.Empty;
        return true;
    }
}
