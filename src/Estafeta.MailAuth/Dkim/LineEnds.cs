namespace Estafeta.MailAuth.Dkim;

/// <summary>DKIM hashes wire form, where every line ends in CRLF. Messages read from files often
/// end lines in a bare LF; this turns each bare LF into CRLF and leaves everything else alone.</summary>
public static class LineEnds
{
    /// <summary>The same memory when every LF is already preceded by CR, else a converted copy.</summary>
    public static ReadOnlyMemory<byte> ToCrlf(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        var bare = CountBareLineFeeds(span);
        if (bare == 0) return message;
        var converted = new byte[span.Length + bare];
        var written = 0;
        for (var i = 0; i < span.Length; i++)
        {
            if (span[i] == (byte)'\n' && (i == 0 || span[i - 1] != (byte)'\r')) converted[written++] = (byte)'\r';
            converted[written++] = span[i];
        }
        return converted;
    }

    private static int CountBareLineFeeds(ReadOnlySpan<byte> span)
    {
        var count = 0;
        var position = 0;
        while (true)
        {
            var next = span[position..].IndexOf((byte)'\n');
            if (next < 0) return count;
            var at = position + next;
            if (at == 0 || span[at - 1] != (byte)'\r') count++;
            position = at + 1;
        }
    }
}
