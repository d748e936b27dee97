namespace Estafeta.Testing;

/// <summary>What a fuzzing client sends, cut into lines as a line-reading server (SMTP, POP3) reads them: a line ends at
/// LF, and a line left open at the end of one send is continued by the next.</summary>
public sealed class SentLines
{
    private List<byte> _open = [];

    /// <summary>Whether the last send left a line without its LF.</summary>
    public bool HasOpenLine => _open.Count > 0;

    /// <summary>Adds to <paramref name="lines"/> the lines that <paramref name="bytes"/> from <paramref name="offset"/>
    /// completes, up to and including the first one <paramref name="endsWrite"/> accepts (a command after which the server
    /// reads no more command lines from the same write), and returns where that write ends.</summary>
    public int Take(byte[] bytes, int offset, Func<byte[], bool> endsWrite, List<byte[]> lines)
    {
        var line = new List<byte>(_open);
        var end = offset;
        while (end < bytes.Length)
        {
            var b = bytes[end++];
            if (b != '\n')
            {
                line.Add(b);
                continue;
            }
            lines.Add([.. line]);
            line.Clear();
            if (endsWrite(lines[^1])) break;
        }
        _open = line;
        return end;
    }
}
