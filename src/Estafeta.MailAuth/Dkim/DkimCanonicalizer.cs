using System.Buffers;
using System.Security.Cryptography;

namespace Estafeta.MailAuth.Dkim;

/// <summary>RFC 6376 §3.4 canonicalization of header fields and bodies. The signer and the verifier
/// hash through exactly these routines; the public byte[] forms exist for inspection and tests.</summary>
public static class DkimCanonicalizer
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();

    /// <summary>The canonical form of one header field given with its terminating CRLF.</summary>
    public static byte[] CanonicalizeHeader(ReadOnlySpan<byte> field, DkimCanonicalization canonicalization)
    {
        var copy = new ArrayBufferWriter<byte>();
        using (var sink = new CanonicalSink(null, copy))
        {
            WriteHeader(field, canonicalization, sink);
            sink.Flush();
        }
        return copy.WrittenSpan.ToArray();
    }

    /// <summary>The canonical form of a message body (the bytes after the empty line).</summary>
    public static byte[] CanonicalizeBody(ReadOnlySpan<byte> body, DkimCanonicalization canonicalization)
    {
        var copy = new ArrayBufferWriter<byte>();
        using (var sink = new CanonicalSink(null, copy))
        {
            WriteBody(body, canonicalization, sink);
            sink.Flush();
        }
        return copy.WrittenSpan.ToArray();
    }

    /// <summary>The SHA-256 body hash (bh=) of a body.</summary>
    public static byte[] BodyHash(ReadOnlySpan<byte> body, DkimCanonicalization canonicalization) =>
        HashBody(body, canonicalization, long.MaxValue).Hash;

    internal static (byte[] Hash, long CanonicalLength) HashBody(ReadOnlySpan<byte> body, DkimCanonicalization canonicalization, long limit)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        using var sink = new CanonicalSink(hash, null, limit);
        WriteBody(body, canonicalization, sink);
        sink.Flush();
        return (hash.GetHashAndReset(), sink.TotalLength);
    }

    /// <summary>Writes one field. The field normally ends in CRLF; the DKIM-Signature being
    /// created or verified is passed without it, and then no CRLF is written.</summary>
    internal static void WriteHeader(ReadOnlySpan<byte> field, DkimCanonicalization canonicalization, CanonicalSink sink)
    {
        if (canonicalization == DkimCanonicalization.Simple)
        {
            sink.Write(field);
            return;
        }
        var terminated = field.EndsWith(Crlf);
        if (terminated) field = field[..^2];
        var colon = field.IndexOf((byte)':');
        var name = colon < 0 ? field : field[..colon];
        var value = colon < 0 ? [] : field[(colon + 1)..];
        name = name.TrimEnd(" \t"u8);

        var buffer = ArrayPool<byte>.Shared.Rent(field.Length + 3);
        var length = 0;
        foreach (var b in name) buffer[length++] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
        buffer[length++] = (byte)':';
        var pendingSpace = false;
        var started = false;
        foreach (var b in value)
        {
            if (b is (byte)'\r' or (byte)'\n') continue;
            if (b is (byte)' ' or (byte)'\t')
            {
                pendingSpace = started;
                continue;
            }
            if (pendingSpace) buffer[length++] = (byte)' ';
            pendingSpace = false;
            started = true;
            buffer[length++] = b;
        }
        if (terminated)
        {
            buffer[length++] = (byte)'\r';
            buffer[length++] = (byte)'\n';
        }
        sink.Write(buffer.AsSpan(0, length));
        ArrayPool<byte>.Shared.Return(buffer);
    }

    internal static void WriteBody(ReadOnlySpan<byte> body, DkimCanonicalization canonicalization, CanonicalSink sink)
    {
        if (canonicalization == DkimCanonicalization.Simple) WriteSimpleBody(body, sink);
        else WriteRelaxedBody(body, sink);
    }

    /// <summary>Simple: trailing empty lines are dropped, the result ends in one CRLF, and an empty
    /// body becomes a single CRLF.</summary>
    private static void WriteSimpleBody(ReadOnlySpan<byte> body, CanonicalSink sink)
    {
        while (body.EndsWith(Crlf)) body = body[..^2];
        sink.Write(body);
        sink.Write(Crlf);
    }

    /// <summary>Relaxed: whitespace at line ends is dropped, runs of whitespace become one SP,
    /// trailing empty lines are dropped; an empty body stays empty. Lines that are already canonical
    /// (no tab, no two spaces in a row, no whitespace before the CRLF) are passed on as one span per
    /// run of such lines, straight from the message, so typical text is scanned once and hashed once.</summary>
    private static void WriteRelaxedBody(ReadOnlySpan<byte> body, CanonicalSink sink)
    {
        var pendingEmptyLines = 0;
        var position = 0;
        var runStart = -1; // start of canonical lines not yet written; they end at `position`
        while (position < body.Length)
        {
            var rest = body[position..];
            var lineEnd = rest.IndexOf(Crlf);
            if (lineEnd > 0 && pendingEmptyLines == 0 && IsCanonicalLine(rest[..lineEnd]))
            {
                if (runStart < 0) runStart = position;
                position += lineEnd + 2;
                continue;
            }
            if (runStart >= 0)
            {
                sink.Write(body[runStart..position]);
                runStart = -1;
            }
            ReadOnlySpan<byte> line;
            if (lineEnd < 0)
            {
                line = rest;
                position = body.Length;
            }
            else
            {
                line = rest[..lineEnd];
                position += lineEnd + 2;
            }
            line = line.TrimEnd(" \t"u8);
            if (line.IsEmpty)
            {
                pendingEmptyLines++;
                continue;
            }
            for (; pendingEmptyLines > 0; pendingEmptyLines--) sink.Write(Crlf);
            WriteCollapsed(line, sink);
            sink.Write(Crlf);
        }
        if (runStart >= 0) sink.Write(body[runStart..position]);
    }

    private static bool IsCanonicalLine(ReadOnlySpan<byte> line) =>
        line[^1] != (byte)' ' && line[^1] != (byte)'\t' && line.IndexOf((byte)'\t') < 0 && line.IndexOf("  "u8) < 0;

    /// <summary>Writes a line (already without trailing whitespace) with each run of SP/HTAB
    /// turned into one SP. Text is copied in whole segments between runs that need changing (a
    /// tab, or two or more spaces), so ordinary single-spaced text costs a single copy.</summary>
    private static void WriteCollapsed(ReadOnlySpan<byte> line, CanonicalSink sink)
    {
        var position = 0;
        var tab = line.IndexOf((byte)'\t');
        var doubleSpace = line.IndexOf("  "u8);
        while (true)
        {
            if (tab >= 0 && tab < position) tab = Find(line, position, (byte)'\t');
            if (doubleSpace >= 0 && doubleSpace < position) doubleSpace = Find(line, position, "  "u8);
            var run = tab < 0 ? doubleSpace : doubleSpace < 0 ? tab : Math.Min(tab, doubleSpace);
            if (run < 0)
            {
                sink.Write(line[position..]);
                return;
            }
            if (run > position && line[run - 1] == (byte)' ') run--;
            sink.Write(line[position..run]);
            sink.Write((byte)' ');
            position = run;
            while (position < line.Length && line[position] is (byte)' ' or (byte)'\t') position++;
        }
    }

    private static int Find(ReadOnlySpan<byte> line, int from, byte value)
    {
        var at = line[from..].IndexOf(value);
        return at < 0 ? -1 : from + at;
    }

    private static int Find(ReadOnlySpan<byte> line, int from, ReadOnlySpan<byte> value)
    {
        var at = line[from..].IndexOf(value);
        return at < 0 ? -1 : from + at;
    }
}
