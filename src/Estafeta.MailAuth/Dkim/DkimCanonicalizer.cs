using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Text;

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
            TryWriteBody(body, canonicalization, sink, checkLineEnds: false);
            sink.Flush();
        }
        return copy.WrittenSpan.ToArray();
    }

    /// <summary>The SHA-256 body hash (bh=) of a body.</summary>
    public static byte[] BodyHash(ReadOnlySpan<byte> body, DkimCanonicalization canonicalization) =>
        TryHashBody(body, canonicalization, long.MaxValue, checkLineEnds: false)!.Value.Hash;

    /// <summary>The body hash for l= <paramref name="limit"/> and the canonical length of the whole body; null when
    /// <paramref name="checkLineEnds"/> is set and the body has a bare LF (the body must be put into wire form first:
    /// <see cref="WireMessage.HashBody"/>).</summary>
    internal static (byte[] Hash, long CanonicalLength)? TryHashBody(ReadOnlySpan<byte> body, DkimCanonicalization canonicalization, long limit,
        bool checkLineEnds)
    {
        // One SHA-256 context per thread instead of one made and freed per body; started afresh
        // should a previous use have stopped part-way.
        var hash = Sha256.ForThread;
        hash.Reset();
        using var sink = new CanonicalSink(hash, null, limit);
        if (!TryWriteBody(body, canonicalization, sink, checkLineEnds)) return null;
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
        // Only the room the canonical form can take: a caller may keep other bytes after it (the signature field
        // being verified, assembled there without its b= value).
        destination = destination[..MaxHeaderLength(field.Length)];
        var terminated = field.EndsWith(Crlf);
        if (terminated) field = field[..^2];
        var colon = field.IndexOf((byte)':');
        var name = colon < 0 ? field : field[..colon];
        var value = colon < 0 ? [] : field[(colon + 1)..];
        while (!name.IsEmpty && name[^1] is (byte)' ' or (byte)'\t') name = name[..^1];

        // The name in lower case: names are short, and a plain loop beats the vectorised routine's set-up.
        ref var written = ref MemoryMarshal.GetReference(destination[..(name.Length + 1)]);
        for (var i = 0; i < name.Length; i++)
        {
            var octet = name[i];
            Unsafe.Add(ref written, i) = (uint)(octet - 'A') <= 'Z' - 'A' ? (byte)(octet | 0x20) : octet;
        }
        var length = name.Length;
        destination[length++] = (byte)':';
        if (SingleSpacedValue(value) is { } single)
        {
            // The common field: one line, words apart by single spaces.
            value.Slice(single.Start, single.Length).CopyTo(destination[length..]);
            length += single.Length;
            value = [];
        }
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

    /// <summary>Where the canonical text of a field value is, when it is the value itself less one SP at either end:
    /// a value with no HTAB, CR or LF and no two SP in a row. Null otherwise. Reads the value 64 octets at a time as
    /// bit masks of its SP and of its HTAB, CR and LF (the last part copied into a block of zeros first).</summary>
    [SkipLocalsInit]
    private static (int Start, int Length)? SingleSpacedValue(ReadOnlySpan<byte> value)
    {
        if (value.IsEmpty) return (0, 0);
        ref var origin = ref MemoryMarshal.GetReference(value);
        var spaceBefore = 0UL; // the last octet of the block before was SP
        var lastSpace = false;
        Span<byte> block = stackalloc byte[64];
        for (var i = 0; i < value.Length; i += 64)
        {
            var count = Math.Min(64, value.Length - i);
            ulong space, tab, cr, lf;
            if (count == 64)
            {
                (space, tab, cr, lf) = Masks(ref Unsafe.Add(ref origin, i));
            }
            else
            {
                value[i..].CopyTo(block);
                block[count..].Clear();
                (space, tab, cr, lf) = Masks(ref MemoryMarshal.GetReference(block));
            }
            if ((tab | cr | lf) != 0 || (space & ((space << 1) | spaceBefore)) != 0) return null;
            spaceBefore = space >> 63;
            lastSpace = ((space >> (count - 1)) & 1) != 0;
        }
        var start = value[0] == (byte)' ' ? 1 : 0;
        var end = value.Length - (lastSpace ? 1 : 0);
        return end > start ? (start, end - start) : (0, 0);
    }

    /// <summary>Writes the canonical body; with <paramref name="checkLineEnds"/>, stops and returns false at a bare LF
    /// (what is written then is incomplete). Without it a bare LF is an octet like any other.</summary>
    private static bool TryWriteBody(ReadOnlySpan<byte> body, DkimCanonicalization canonicalization, CanonicalSink sink, bool checkLineEnds)
    {
        if (canonicalization == DkimCanonicalization.Relaxed) return TryWriteRelaxedBody(body, sink, checkLineEnds);
        if (checkLineEnds && LineEnds.IndexOfBareLineFeed(body) >= 0) return false;
        WriteSimpleBody(body, sink);
        return true;
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
    /// on as it stands, so a typical body is scanned once at memory speed and hashed in one piece. The same
    /// pass finds a bare LF when <paramref name="checkLineEnds"/> is set (false is returned at once).</summary>
    private static bool TryWriteRelaxedBody(ReadOnlySpan<byte> body, CanonicalSink sink, bool checkLineEnds)
    {
        var end = body.Length;
        while (end > 0)
        {
            var last = body[end - 1];
            if (last is (byte)' ' or (byte)'\t') end--;
            else if (last == (byte)'\n' && end >= 2 && body[end - 2] == (byte)'\r') end -= 2;
            else break;
        }
        // A bare LF among the trailing whitespace and CRLFs cut off stops the cut, so it is in the content.
        if (end == 0) return true;
        var content = body[..end]; // ends in neither whitespace nor CRLF

        var position = 0; // written up to here
        var scan = 0; // searched up to here
        while (true)
        {
            var found = IndexOfPossibleChange(content, scan, checkLineEnds);
            if (found < 0)
            {
                sink.Write(content[position..]);
                break;
            }
            if (content[found] == (byte)'\n') return false; // a bare LF: the caller converts the body
            var run = found;
            while (run > position && content[run - 1] is (byte)' ' or (byte)'\t') run--;
            var after = found;
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
        return true;
    }

    /// <summary>The first place at or after <paramref name="start"/> holding a tab, a space followed by a space, a tab
    /// or a CR, or (with <paramref name="checkLineEnds"/>) an LF not preceded by a CR; -1 when there is none. The text is
    /// a body: an LF at its start follows the header's empty line, not a CR.
    /// Reads 64 octets at a time and turns each of the four octets that matter into a 64-bit mask (one bit per octet);
    /// "followed by" and "preceded by" are shifts of those masks, with the SP and CR bits of the block's last octet
    /// carried over to the next block: one vector load and four comparisons per block.</summary>
    private static int IndexOfPossibleChange(ReadOnlySpan<byte> text, int start, bool checkLineEnds)
    {
        if (start >= text.Length) return -1;
        if (IsPossibleChange(text, start, checkLineEnds)) return start;
        var i = start + 1; // from here on every octet has one before it
        ref var origin = ref MemoryMarshal.GetReference(text);
        var lineEnds = checkLineEnds ? ulong.MaxValue : 0;
        var crBefore = text[i - 1] == (byte)'\r' ? 1UL : 0;
        var spaceBefore = 0UL; // the last octet of the block before is SP: whether it starts a change depends on this block
        for (; i + 64 <= text.Length; i += 64)
        {
            var (space, tab, cr, lf) = Masks(ref Unsafe.Add(ref origin, i));
            var starts = space | tab | cr; // what makes an SP before it a change
            if ((spaceBefore & starts) != 0) return i - 1;
            var found = tab
                | (space & (starts >> 1))
                | (lf & ~((cr << 1) | crBefore) & lineEnds);
            if (found != 0) return i + BitOperations.TrailingZeroCount(found);
            crBefore = cr >> 63;
            spaceBefore = space >> 63;
        }
        if (spaceBefore != 0 && i < text.Length && text[i] is (byte)' ' or (byte)'\t' or (byte)'\r') return i - 1;
        for (; i < text.Length; i++)
            if (IsPossibleChange(text, i, checkLineEnds)) return i;
        return -1;
    }

    /// <summary>Bit n of each mask is set when octet n of the 64 at <paramref name="block"/> is SP, HTAB, CR or LF.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static (ulong Space, ulong Tab, ulong Cr, ulong Lf) Masks(ref byte block)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            var v = Vector512.LoadUnsafe(ref block);
            return (Vector512.Equals(v, Vector512.Create((byte)' ')).ExtractMostSignificantBits(),
                Vector512.Equals(v, Vector512.Create((byte)'\t')).ExtractMostSignificantBits(),
                Vector512.Equals(v, Vector512.Create((byte)'\r')).ExtractMostSignificantBits(),
                Vector512.Equals(v, Vector512.Create((byte)'\n')).ExtractMostSignificantBits());
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var low = Vector256.LoadUnsafe(ref block);
            var high = Vector256.LoadUnsafe(ref block, 32);
            return (Join(Vector256.Equals(low, Vector256.Create((byte)' ')), Vector256.Equals(high, Vector256.Create((byte)' '))),
                Join(Vector256.Equals(low, Vector256.Create((byte)'\t')), Vector256.Equals(high, Vector256.Create((byte)'\t'))),
                Join(Vector256.Equals(low, Vector256.Create((byte)'\r')), Vector256.Equals(high, Vector256.Create((byte)'\r'))),
                Join(Vector256.Equals(low, Vector256.Create((byte)'\n')), Vector256.Equals(high, Vector256.Create((byte)'\n'))));
        }
        ulong space = 0, tab = 0, cr = 0, lf = 0;
        for (var part = 0; part < 4; part++)
        {
            var v = Vector128.LoadUnsafe(ref block, (nuint)(part * 16));
            var shift = part * 16;
            space |= (ulong)Vector128.Equals(v, Vector128.Create((byte)' ')).ExtractMostSignificantBits() << shift;
            tab |= (ulong)Vector128.Equals(v, Vector128.Create((byte)'\t')).ExtractMostSignificantBits() << shift;
            cr |= (ulong)Vector128.Equals(v, Vector128.Create((byte)'\r')).ExtractMostSignificantBits() << shift;
            lf |= (ulong)Vector128.Equals(v, Vector128.Create((byte)'\n')).ExtractMostSignificantBits() << shift;
        }
        return (space, tab, cr, lf);
    }

    private static ulong Join(Vector256<byte> low, Vector256<byte> high) => low.ExtractMostSignificantBits() | ((ulong)high.ExtractMostSignificantBits() << 32);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool IsPossibleChange(ReadOnlySpan<byte> text, int i, bool checkLineEnds) => text[i] switch
    {
        (byte)'\t' => true,
        (byte)' ' => i + 1 < text.Length && text[i + 1] is (byte)' ' or (byte)'\t' or (byte)'\r',
        (byte)'\n' => checkLineEnds && (i == 0 || text[i - 1] != (byte)'\r'),
        _ => false,
    };
}
