using System.Buffers;
using System.IO.Pipelines;

namespace Estafeta.Net;

public enum DotStreamStatus { Complete, TooLarge, Closed }

public readonly record struct DotStreamResult(DotStreamStatus Status, long Length, bool HasEightBit, bool HadBareLineBreaks);

/// <summary>
/// Reads a dot-terminated message body (SMTP DATA, RFC 5321 §4.5.2) into a destination stream,
/// removing dot-stuffing. Only CRLF "." CRLF ends the body: a bare LF or CR never does (SMTP
/// smuggling). Bare LF and bare CR inside the body are stored as CRLF so that no later hop can
/// read them as line ends of its own. Past <c>maxSize</c> bytes, the rest of the body is read
/// and dropped, and the result says <see cref="DotStreamStatus.TooLarge"/>.
/// </summary>
public static class DotStreamReader
{
    public static async ValueTask<DotStreamResult> ReadAsync(PipeReader reader, Stream destination, long maxSize, CancellationToken ct)
    {
        var decoder = new DotStreamDecoder(maxSize);
        var output = new ArrayBufferWriter<byte>(16 * 1024);
        while (true)
        {
            var result = await reader.ReadAsync(ct).ConfigureAwait(false);
            var buffer = result.Buffer;
            long consumed = 0;
            var done = false;
            foreach (var segment in buffer)
            {
                done = decoder.Decode(segment.Span, output, out var used);
                consumed += used;
                if (done) break;
            }
            reader.AdvanceTo(buffer.GetPosition(consumed));
            if (output.WrittenCount > 0)
            {
                await destination.WriteAsync(output.WrittenMemory, ct).ConfigureAwait(false);
                output.ResetWrittenCount();
            }
            if (done)
                return new DotStreamResult(decoder.Exceeded ? DotStreamStatus.TooLarge : DotStreamStatus.Complete, decoder.Length, decoder.EightBit, decoder.BareLineBreaks);
            if (result.IsCompleted || result.IsCanceled)
                return new DotStreamResult(DotStreamStatus.Closed, decoder.Length, decoder.EightBit, decoder.BareLineBreaks);
        }
    }
}

/// <summary>The byte-level state machine behind <see cref="DotStreamReader"/>; it keeps its state between calls,
/// so the input may arrive split anywhere.</summary>
public sealed class DotStreamDecoder(long maxSize)
{
    private static ReadOnlySpan<byte> Crlf => "\r\n"u8;

    private enum State
    {
        /// <summary>After CRLF (or at the start): a "." here may begin the terminator.</summary>
        LineStart,
        /// <summary>After a bare CR or LF: a "." here is removed as stuffing and never starts a terminator.</summary>
        LineStartAfterBareBreak,
        InLine,
        /// <summary>Saw CR inside a line.</summary>
        Cr,
        /// <summary>Saw "." at a CRLF line start.</summary>
        Dot,
        /// <summary>Saw "." CR at a CRLF line start.</summary>
        DotCr,
    }

    private State _state = State.LineStart;

    /// <summary>Bytes of the decoded body, counted even past the limit.</summary>
    public long Length { get; private set; }
    public bool Exceeded { get; private set; }
    public bool EightBit { get; private set; }
    public bool BareLineBreaks { get; private set; }

    /// <summary>Decodes <paramref name="input"/>; returns true when the terminator was seen, with
    /// <paramref name="consumed"/> counting the bytes up to and including it.</summary>
    public bool Decode(ReadOnlySpan<byte> input, IBufferWriter<byte> output, out int consumed)
    {
        var i = 0;
        while (i < input.Length)
        {
            if (_state == State.InLine)
            {
                var rest = input[i..];
                var stop = rest.IndexOfAny((byte)'\r', (byte)'\n');
                if (stop < 0) { Emit(rest, output); i = input.Length; break; }
                Emit(rest[..stop], output);
                i += stop;
            }
            var b = input[i++];
            switch (_state)
            {
                case State.LineStart:
                    _state = b == '.' ? State.Dot : Plain(b, output);
                    break;
                case State.LineStartAfterBareBreak:
                    _state = b == '.' ? State.InLine : Plain(b, output);
                    break;
                case State.InLine:
                    _state = Plain(b, output);
                    break;
                case State.Cr:
                    if (b == '\n') { Emit(Crlf, output); _state = State.LineStart; }
                    else { BareBreak(output); _state = b == '.' ? State.InLine : Plain(b, output); }
                    break;
                case State.Dot:
                    _state = b == '\r' ? State.DotCr : Plain(b, output); // the dot was stuffing
                    break;
                case State.DotCr:
                    if (b == '\n') { consumed = i; return true; }
                    BareBreak(output);
                    _state = b == '.' ? State.InLine : Plain(b, output);
                    break;
            }
        }
        consumed = i;
        return false;
    }

    private State Plain(byte b, IBufferWriter<byte> output)
    {
        switch (b)
        {
            case (byte)'\r':
                return State.Cr;
            case (byte)'\n':
                BareBreak(output);
                return State.LineStartAfterBareBreak;
            default:
                Emit([b], output);
                return State.InLine;
        }
    }

    private void BareBreak(IBufferWriter<byte> output)
    {
        BareLineBreaks = true;
        Emit(Crlf, output);
    }

    private void Emit(ReadOnlySpan<byte> bytes, IBufferWriter<byte> output)
    {
        if (bytes.IsEmpty) return;
        Length += bytes.Length;
        if (Exceeded) return;
        if (Length > maxSize) { Exceeded = true; return; }
        if (!EightBit && bytes.IndexOfAnyInRange((byte)0x80, (byte)0xff) >= 0) EightBit = true;
        output.Write(bytes);
    }
}
