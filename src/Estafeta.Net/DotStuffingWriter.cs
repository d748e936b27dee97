using System.Buffers;
using System.IO.Pipelines;

namespace Estafeta.Net;

/// <summary>
/// Writes a stored message as a dot-terminated multi-line response (POP3 RETR/TOP, RFC 1939 §3):
/// every line that begins with "." gets one more, the content ends with CRLF, then "." CRLF.
/// </summary>
public static class DotStuffingWriter
{
    /// <summary>Copies <paramref name="content"/> dot-stuffed. With <paramref name="maxBodyLines"/> set,
    /// copies the header, the blank line, and at most that many body lines (POP3 TOP).</summary>
    public static async Task WriteAsync(Stream content, PipeWriter output, CancellationToken ct, int? maxBodyLines = null)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            var state = new Encoder(maxBodyLines);
            int read;
            while (!state.Finished && (read = await content.ReadAsync(buffer.AsMemory(), ct).ConfigureAwait(false)) > 0)
            {
                state.Encode(buffer.AsSpan(0, read), output);
                await output.FlushAsync(ct).ConfigureAwait(false);
            }
            state.Finish(output);
            await output.FlushAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The stuffing state machine; public so that grammar tests can feed it any split.</summary>
    public sealed class Encoder(int? maxBodyLines)
    {
        private bool _atLineStart = true;
        private bool _lastWasCr;
        private bool _inBody;
        private int _bodyLines;
        private bool _currentLineEmpty = true;

        public bool Finished { get; private set; }

        public void Encode(ReadOnlySpan<byte> input, IBufferWriter<byte> output)
        {
            var start = 0;
            for (var i = 0; i < input.Length && !Finished; i++)
            {
                var b = input[i];
                if (_atLineStart)
                {
                    if (maxBodyLines is { } max && _inBody && _bodyLines >= max)
                    {
                        output.Write(input[start..i]);
                        Finished = true;
                        return;
                    }
                    _atLineStart = false;
                    _currentLineEmpty = true;
                    if (b == '.')
                    {
                        output.Write(input[start..i]);
                        output.Write("."u8);
                        start = i;
                    }
                }
                if (b == '\n')
                {
                    _atLineStart = true;
                    if (_inBody) _bodyLines++;
                    else if (_currentLineEmpty) _inBody = true;
                }
                else if (b != '\r')
                {
                    _currentLineEmpty = false;
                }
                _lastWasCr = b == '\r';
            }
            if (!Finished) output.Write(input[start..]);
        }

        public void Finish(IBufferWriter<byte> output)
        {
            if (!_atLineStart)
                output.Write(_lastWasCr ? "\n"u8 : "\r\n"u8);
            output.Write(".\r\n"u8);
        }
    }
}
