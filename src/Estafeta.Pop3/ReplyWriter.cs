using System.Buffers;
using System.IO.Pipelines;
using System.Text;
using Estafeta.Net;

namespace Estafeta.Pop3;

/// <summary>Writes replies to the connection: the status line, then for multi-line replies the
/// dot-stuffed body and "." CRLF (RFC 1939 §3). Short replies are only buffered; the session flushes.</summary>
internal static class ReplyWriter
{
    public static async ValueTask WriteAsync(PipeWriter output, Pop3Reply reply, CancellationToken ct)
    {
        WriteLine(output, reply.StatusLine);
        if (reply.Lines is { } lines)
        {
            foreach (var line in lines)
            {
                if (line.StartsWith('.')) output.Write("."u8);
                WriteLine(output, line);
            }
            output.Write(".\r\n"u8);
        }
        if (reply.Content is { } content)
            await DotStuffingWriter.WriteAsync(content.Stream, output, ct, content.MaxBodyLines).ConfigureAwait(false);
    }

    private static void WriteLine(PipeWriter output, string line)
    {
        Encoding.UTF8.GetBytes(line, output);
        output.Write("\r\n"u8);
    }
}
