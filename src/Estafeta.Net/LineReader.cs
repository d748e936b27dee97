using System.Buffers;
using System.IO.Pipelines;

namespace Estafeta.Net;

public enum LineStatus { Ok, TooLong, Closed }

/// <summary>A command line without its line ending. <see cref="Bytes"/> is a copy the caller owns.</summary>
public readonly record struct Line(LineStatus Status, byte[] Bytes)
{
    public static Line Closed { get; } = new(LineStatus.Closed, []);
    public static Line TooLong { get; } = new(LineStatus.TooLong, []);
}

/// <summary>
/// Reads protocol command lines ended by CRLF (a bare LF is accepted as the end of a command line,
/// as Postfix and Dovecot do; a CR before it is removed). The length limit is enforced while
/// reading: a longer line is consumed up to its end and reported as <see cref="LineStatus.TooLong"/>
/// without ever being held in memory.
/// </summary>
public static class LineReader
{
    public static async ValueTask<Line> ReadLineAsync(PipeReader reader, int maxLength, CancellationToken ct)
    {
        var discarding = false;
        while (true)
        {
            ReadResult result;
            try
            {
                result = await reader.ReadAsync(ct).ConfigureAwait(false);
            }
            catch (IOException) when (ct.IsCancellationRequested)
            {
                // A read cancelled inside SslStream may surface as an IOException: report it as the cancellation it is.
                throw new OperationCanceledException(ct);
            }
            var buffer = result.Buffer;
            var lf = buffer.PositionOf((byte)'\n');
            if (lf is { } end)
            {
                var line = buffer.Slice(0, end);
                var next = buffer.GetPosition(1, end);
                if (discarding || line.Length > maxLength + 1)
                {
                    reader.AdvanceTo(next);
                    return Line.TooLong;
                }
                var bytes = line.ToArray();
                reader.AdvanceTo(next);
                var length = bytes.Length > 0 && bytes[^1] == '\r' ? bytes.Length - 1 : bytes.Length;
                if (length > maxLength) return Line.TooLong;
                return new Line(LineStatus.Ok, length == bytes.Length ? bytes : bytes[..length]);
            }
            if (buffer.Length > maxLength + 1)
            {
                discarding = true;
                reader.AdvanceTo(buffer.End);
            }
            else
            {
                reader.AdvanceTo(buffer.Start, buffer.End);
            }
            if (result.IsCompleted || result.IsCanceled) return Line.Closed;
        }
    }
}
