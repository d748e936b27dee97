using System.Buffers;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;

namespace Estafeta.Imap.Protocol;

/// <summary>
/// Builds server responses into the connection's output (RFC 9051 §7). Strings are written as quoted strings
/// when that is allowed, and as literals otherwise: CR, LF or NUL always force a literal, and so do 8-bit octets
/// unless the client enabled UTF8=ACCEPT (RFC 6855) or IMAP4rev2 and they are valid UTF-8. Nothing is sent until the
/// session flushes.
/// </summary>
internal sealed class ResponseWriter(PipeWriter output)
{
    private PipeWriter _output = output;

    /// <summary>Quoted strings may carry UTF-8.</summary>
    public bool Utf8 { get; set; }

    /// <summary>Octets written since the last call of <see cref="TakeWritten"/>; the session flushes large responses early.</summary>
    public long Written { get; private set; }

    public PipeWriter Output => _output;

    /// <summary>Switches to the TLS connection's output after STARTTLS.</summary>
    public void Attach(PipeWriter output) => _output = output;

    public long TakeWritten()
    {
        var written = Written;
        Written = 0;
        return written;
    }

    public ResponseWriter Raw(ReadOnlySpan<byte> bytes)
    {
        _output.Write(bytes);
        Written += bytes.Length;
        return this;
    }

    /// <summary>ASCII text written as it is (atoms, keywords, response text).</summary>
    public ResponseWriter Raw(string ascii)
    {
        var count = Encoding.UTF8.GetByteCount(ascii);
        var span = _output.GetSpan(count);
        Encoding.UTF8.GetBytes(ascii, span);
        _output.Advance(count);
        Written += count;
        return this;
    }

    public ResponseWriter Number(long value)
    {
        Span<byte> digits = stackalloc byte[20];
        value.TryFormat(digits, out var n, default, CultureInfo.InvariantCulture);
        return Raw(digits[..n]);
    }

    public ResponseWriter Sp() => Raw(" "u8);
    public ResponseWriter Open() => Raw("("u8);
    public ResponseWriter Close() => Raw(")"u8);
    public ResponseWriter Nil() => Raw("NIL"u8);
    public ResponseWriter Crlf() => Raw("\r\n"u8);

    /// <summary>A string: quoted when possible, a literal otherwise.</summary>
    public ResponseWriter String(string value) => String(Encoding.UTF8.GetBytes(value));

    public ResponseWriter String(ReadOnlySpan<byte> value)
    {
        if (!CanQuote(value)) return Literal(value);
        Raw("\""u8);
        var start = 0;
        for (var i = 0; i < value.Length; i++)
        {
            if (value[i] is not ((byte)'"' or (byte)'\\')) continue;
            Raw(value[start..i]).Raw("\\"u8);
            start = i;
        }
        return Raw(value[start..]).Raw("\""u8);
    }

    /// <summary>A string or NIL.</summary>
    public ResponseWriter NString(string? value) => value is null ? Nil() : String(value);

    public ResponseWriter NString(byte[]? value) => value is null ? Nil() : String(value);

    /// <summary>An atom when the value is a valid non-empty atom, else a string (astring).</summary>
    public ResponseWriter AString(string value)
    {
        if (value.Length > 0 && !value.Equals("NIL", StringComparison.OrdinalIgnoreCase) && value.All(c => c < 0x80 && Grammar.CharClass.IsAStringChar((byte)c)))
            return Raw(value);
        return String(value);
    }

    public ResponseWriter Literal(ReadOnlySpan<byte> value)
    {
        Raw("{"u8).Number(value.Length).Raw("}\r\n"u8);
        return Raw(value);
    }

    /// <summary>Writes a literal header "{n}\r\n" (or "~{n}\r\n" for BINARY); the caller writes the n octets.</summary>
    public ResponseWriter LiteralHeader(long length, bool binary = false)
    {
        if (binary) Raw("~"u8);
        return Raw("{"u8).Number(length).Raw("}\r\n"u8);
    }

    /// <summary>Copies exactly <paramref name="length"/> octets of <paramref name="content"/>, padding with
    /// spaces if the stream ends early (the literal length was already sent), flushing as it goes.</summary>
    public async ValueTask CopyAsync(Stream content, long length, CancellationToken ct)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            while (length > 0)
            {
                var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, length)), ct).ConfigureAwait(false);
                if (read == 0)
                {
                    buffer.AsSpan(0, (int)Math.Min(buffer.Length, length)).Fill((byte)' ');
                    read = (int)Math.Min(buffer.Length, length);
                }
                Raw(buffer.AsSpan(0, read));
                length -= read;
                if (Written >= 64 * 1024)
                {
                    Written = 0;
                    await _output.FlushAsync(ct).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public bool CanQuote(ReadOnlySpan<byte> value)
    {
        if (value.Length > 4096) return false;
        var eightBit = false;
        foreach (var b in value)
        {
            if (b is 0 or (byte)'\r' or (byte)'\n') return false;
            if (b >= 0x80) eightBit = true;
        }
        return !eightBit || (Utf8 && System.Text.Unicode.Utf8.IsValid(value));
    }

    public ValueTask<FlushResult> FlushAsync(CancellationToken ct)
    {
        Written = 0;
        return _output.FlushAsync(ct);
    }
}
