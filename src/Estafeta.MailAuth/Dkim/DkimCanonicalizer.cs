using System.Buffers;
using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Estafeta.MailAuth.Dkim;

/// <summary>RFC 6376 §3.4 canonicalization of header fields and bodies. The signer and the verifier
/// hash through exactly these routines; the public byte[] forms exist for inspection and tests.</summary>
public static class DkimCanonicalizer
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();
    private static readonly SearchValues<byte> FoldingWhitespace = SearchValues.Create(" \t\r\n"u8);
    private static readonly SearchValues<byte> TabOrLineBreak = SearchValues.Create("\t\r\n"u8);

    /// <summary>The canonical form of one header field given with its terminating CRLF.</summary>
    public static byte[] CanonicalizeHeader(ReadOnlySpan<byte> field, DkimCanonicalization canonicalization)
    {
        var buffer = new byte[MaxHeaderLength(field.Length)];
        return buffer[..WriteHeader(field, canonicalization, buffer)];
    }

    /// <summary>The canonical form of a message body (the bytes after the empty line).</summary>
    public static byte[] CanonicalizeBody(ReadOnlySpan<byte> body, DkimCanonicalization canonicalization)
    {
        var copy = new ArrayBufferWriter<byte>(body.Length + 2);
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

    /// <summary>Writes the body hash (bh=, no l=) into <paramref name="destination"/>.</summary>
    internal static void HashBody(ReadOnlySpan<byte> body, DkimCanonicalization canonicalization, Span<byte> destination)
    {
        var hash = Sha256.ForThread;
        hash.Reset();
        using var sink = new CanonicalSink(hash, null);
        WriteBody(body, canonicalization, sink);
        sink.Flush();
        hash.Finish(destination);
    }

    internal static (byte[] Hash, long CanonicalLength) HashBody(ReadOnlySpan<byte> body, DkimCanonicalization canonicalization, long limit)
    {
        // One SHA-256 context per thread instead of one made and freed per body; started afresh
        // should a previous use have stopped part-way.
        var hash = Sha256.ForThread;
        hash.Reset();
        using var sink = new CanonicalSink(hash, null, limit);
        WriteBody(body, canonicalization, sink);
        sink.Flush();
        return (hash.Finish(), sink.TotalLength);
    }

    /// <summary>How long the canonical form of a field of <paramref name="fieldLength"/> octets can
    /// be: relaxed canonicalization only shortens, except for the colon it adds to a field that has none.</summary>
    internal static int MaxHeaderLength(int fieldLength) => fieldLength + 1;

    /// <summary>Writes one field into <paramref name="destination"/> (at least
    /// <see cref="MaxHeaderLength"/> octets) and returns the length written. The field normally ends in
    /// CRLF; the DKIM-Signature being created or verified is passed without it, and then no CRLF is written.</summary>
    internal static int WriteHeader(ReadOnlySpan<byte> field, DkimCanonicalization canonicalization, Span<byte> destination)
    {
        if (canonicalization == DkimCanonicalization.Simple)
        {
            field.CopyTo(destination);
            return field.Length;
        }
        var terminated = field.EndsWith(Crlf);
        if (terminated) field = field[..^2];
        var colon = field.IndexOf((byte)':');
        var name = colon < 0 ? field : field[..colon];
        var value = colon < 0 ? [] : field[(colon + 1)..];
        name = name.TrimEnd(" \t"u8);

        var length = 0;
        foreach (var b in name) destination[length++] = b is >= (byte)'A' and <= (byte)'Z' ? (byte)(b + 32) : b;
        destination[length++] = (byte)':';
        // Line breaks are removed (unfolding), each run of WSP becomes one SP, and WSP at the start
        // and end of the value is dropped. Between two runs of whitespace, text whose only whitespace is
        // single spaces between other octets is already canonical and is copied in one piece.
        var pendingSpace = false;
        while (true)
        {
            var skip = value.IndexOfAnyExcept(FoldingWhitespace);
            if (skip < 0) break;
            // Line breaks go without a trace (unfolding); a run with SP or HTAB in it becomes one SP.
            if (skip > 0 && length > name.Length + 1 && value[..skip].IndexOfAny((byte)' ', (byte)'\t') >= 0) pendingSpace = true;
            value = value[skip..];
            var region = value;
            var special = region.IndexOfAny(TabOrLineBreak);
            if (special >= 0) region = region[..special];
            var doubled = region.IndexOf("  "u8);
            if (doubled >= 0) region = region[..doubled];
            if (region[^1] == (byte)' ') region = region[..^1]; // the space starts the whitespace run after it
            if (pendingSpace) destination[length++] = (byte)' ';
            pendingSpace = false;
            region.CopyTo(destination[length..]);
            length += region.Length;
            value = value[region.Length..];
        }
        if (terminated)
        {
            destination[length++] = (byte)'\r';
            destination[length++] = (byte)'\n';
        }
        return length;
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
    /// trailing empty lines are dropped; an empty body stays empty, and a body not ending in CRLF gets one.
    /// The trailing whitespace and empty lines are cut off first; what remains only needs changing
    /// where it has a tab or a space followed by a space, a tab or a CR. Those places are found with
    /// one vectorised pass over the whole body (not line by line), and the text between them is passed
    /// on as it stands, so a typical body is scanned once at memory speed and hashed in one piece.</summary>
    private static void WriteRelaxedBody(ReadOnlySpan<byte> body, CanonicalSink sink)
    {
        var end = body.Length;
        while (end > 0)
        {
            var last = body[end - 1];
            if (last is (byte)' ' or (byte)'\t') end--;
            else if (last == (byte)'\n' && end >= 2 && body[end - 2] == (byte)'\r') end -= 2;
            else break;
        }
        if (end == 0) return;
        var content = body[..end]; // ends in neither whitespace nor CRLF

        var position = 0; // written up to here
        var scan = 0; // searched up to here
        while (true)
        {
            var candidate = IndexOfPossibleChange(content[scan..]);
            if (candidate < 0)
            {
                sink.Write(content[position..]);
                break;
            }
            var run = scan + candidate;
            while (run > position && content[run - 1] is (byte)' ' or (byte)'\t') run--;
            var after = scan + candidate;
            while (content[after] is (byte)' ' or (byte)'\t') after++; // the content ends in a non-WSP octet
            var atLineEnd = content[after..].StartsWith(Crlf);
            if (!atLineEnd && after - run == 1 && content[run] == (byte)' ')
            {
                scan = after; // one SP before a bare CR: already canonical
                continue;
            }
            sink.Write(content[position..run]);
            // Whitespace inside a line becomes one SP; at the end of a line it goes.
            if (!atLineEnd) sink.Write((byte)' ');
            position = scan = after;
        }
        sink.Write(Crlf);
    }

    /// <summary>The first tab, or space followed by a space, a tab or a CR; -1 when there is none.
    /// Compares 64 or 32 octets at a time with the octets one position later.</summary>
    private static int IndexOfPossibleChange(ReadOnlySpan<byte> text)
    {
        var i = 0;
        if (Vector512.IsHardwareAccelerated)
        {
            var space = Vector512.Create((byte)' ');
            var tab = Vector512.Create((byte)'\t');
            var cr = Vector512.Create((byte)'\r');
            for (; i + Vector512<byte>.Count < text.Length; i += Vector512<byte>.Count)
            {
                var here = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(text), (nuint)i);
                var next = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(text), (nuint)i + 1);
                var found = Vector512.Equals(here, tab)
                    | (Vector512.Equals(here, space) & (Vector512.Equals(next, space) | Vector512.Equals(next, tab) | Vector512.Equals(next, cr)));
                if (found != Vector512<byte>.Zero) return i + BitOperations.TrailingZeroCount(found.ExtractMostSignificantBits());
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var space = Vector256.Create((byte)' ');
            var tab = Vector256.Create((byte)'\t');
            var cr = Vector256.Create((byte)'\r');
            for (; i + Vector256<byte>.Count < text.Length; i += Vector256<byte>.Count)
            {
                var here = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(text), (nuint)i);
                var next = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(text), (nuint)i + 1);
                var found = Vector256.Equals(here, tab)
                    | (Vector256.Equals(here, space) & (Vector256.Equals(next, space) | Vector256.Equals(next, tab) | Vector256.Equals(next, cr)));
                if (found != Vector256<byte>.Zero) return i + BitOperations.TrailingZeroCount(found.ExtractMostSignificantBits());
            }
        }
        for (; i < text.Length; i++)
        {
            if (text[i] == (byte)'\t') return i;
            if (text[i] == (byte)' ' && i + 1 < text.Length && text[i + 1] is (byte)' ' or (byte)'\t' or (byte)'\r') return i;
        }
        return -1;
    }
}
