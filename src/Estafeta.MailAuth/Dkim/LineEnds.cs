using System.Numerics;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Estafeta.MailAuth.Dkim;

/// <summary>DKIM hashes wire form, where every line ends in CRLF. Messages read from files often
/// end lines in a bare LF; this turns each bare LF into CRLF and leaves everything else alone.</summary>
public static class LineEnds
{
    /// <summary>The same memory when every LF is already preceded by CR, else a converted copy.</summary>
    public static ReadOnlyMemory<byte> ToCrlf(ReadOnlyMemory<byte> message)
    {
        var span = message.Span;
        var first = IndexOfBareLineFeed(span);
        if (first < 0) return message;
        var bare = 1;
        for (var i = first + 1; i < span.Length; i++)
            if (span[i] == (byte)'\n' && span[i - 1] != (byte)'\r') bare++;
        var converted = new byte[span.Length + bare];
        var written = 0;
        for (var i = 0; i < span.Length; i++)
        {
            if (span[i] == (byte)'\n' && (i == 0 || span[i - 1] != (byte)'\r')) converted[written++] = (byte)'\r';
            converted[written++] = span[i];
        }
        return converted;
    }

    /// <summary>The first LF not preceded by CR, or -1. Compares 32 octets at a time with the octets
    /// one position earlier (64 at a time where the processor has 512-bit vectors), so a message already
    /// in wire form is checked at memory speed.</summary>
    internal static int IndexOfBareLineFeed(ReadOnlySpan<byte> span)
    {
        if (span.IsEmpty) return -1;
        if (span[0] == (byte)'\n') return 0;
        var i = 1;
        if (Vector512.IsHardwareAccelerated)
        {
            var lf = Vector512.Create((byte)'\n');
            var cr = Vector512.Create((byte)'\r');
            for (; i + Vector512<byte>.Count <= span.Length; i += Vector512<byte>.Count)
            {
                var here = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)i);
                var before = Vector512.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)i - 1);
                var bare = Vector512.Equals(here, lf) & ~Vector512.Equals(before, cr);
                if (bare != Vector512<byte>.Zero) return i + BitOperations.TrailingZeroCount(bare.ExtractMostSignificantBits());
            }
        }
        if (Vector256.IsHardwareAccelerated)
        {
            var lf = Vector256.Create((byte)'\n');
            var cr = Vector256.Create((byte)'\r');
            for (; i + Vector256<byte>.Count <= span.Length; i += Vector256<byte>.Count)
            {
                var here = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)i);
                var before = Vector256.LoadUnsafe(ref MemoryMarshal.GetReference(span), (nuint)i - 1);
                var bare = Vector256.Equals(here, lf) & ~Vector256.Equals(before, cr);
                if (bare != Vector256<byte>.Zero) return i + BitOperations.TrailingZeroCount(bare.ExtractMostSignificantBits());
            }
        }
        for (; i < span.Length; i++)
            if (span[i] == (byte)'\n' && span[i - 1] != (byte)'\r') return i;
        return -1;
    }
}
