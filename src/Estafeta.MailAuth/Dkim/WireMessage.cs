using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Estafeta.MailAuth.Dkim;

/// <summary>A message in wire form split into header fields and body, without copying: the
/// grammar is RFC 5322 §2.2 (a field continues while the next line starts with SP or HTAB; the
/// header ends at the first empty line).</summary>
internal sealed class WireMessage
{
    private static readonly byte[] Crlf = "\r\n"u8.ToArray();

    private readonly List<HeaderField> headers;

    private WireMessage(ReadOnlyMemory<byte> bytes, List<HeaderField> headers, int bodyOffset, bool bodyInWireForm)
    {
        Bytes = bytes;
        this.headers = headers;
        BodyOffset = bodyOffset;
        BodyInWireForm = bodyInWireForm;
    }

    /// <summary>The message; its body may still hold a bare LF until <see cref="BodyInWireForm"/>.</summary>
    public ReadOnlyMemory<byte> Bytes { get; private set; }
    public IReadOnlyList<HeaderField> Headers => headers;
    /// <summary>The header fields, top to bottom, for loops that index them often.</summary>
    public ReadOnlySpan<HeaderField> Fields => CollectionsMarshal.AsSpan(headers);
    public int BodyOffset { get; }
    public ReadOnlySpan<byte> Body => Bytes.Span[BodyOffset..];

    /// <summary>Whether every LF of the body is known to follow a CR. The header's line ends are always
    /// checked by <see cref="Parse"/>; the body's are checked by the pass that canonicalizes it
    /// (<see cref="HashBody"/>), which meets every octet anyway, instead of by a pass of its own.</summary>
    public bool BodyInWireForm { get; private set; }

    public ReadOnlySpan<byte> FieldBytes(HeaderField field) => Bytes.Span.Slice(field.Offset, field.Length);

    /// <summary>Splits a message into header fields and body. DKIM hashes wire form, where every line ends in
    /// CRLF: a bare LF in the header makes the whole message converted first (<see cref="LineEnds.ToCrlf"/>),
    /// one in the body is found and converted when the body is hashed.</summary>
    public static WireMessage Parse(ReadOnlyMemory<byte> bytes) => Split(bytes, bodyInWireForm: false) ?? Split(LineEnds.ToCrlf(bytes), bodyInWireForm: true)!;

    /// <summary>The body hash (bh=) for one canonicalization and l=, with the canonical length. A bare LF met in
    /// the body turns the body into wire form (the header fields keep their offsets, being before it) and the
    /// hash is taken again.</summary>
    public (byte[] Hash, long CanonicalLength) HashBody(DkimCanonicalization canonicalization, long limit = long.MaxValue)
    {
        var hashed = DkimCanonicalizer.TryHashBody(Body, canonicalization, limit, checkLineEnds: !BodyInWireForm);
        if (hashed is { } result)
        {
            BodyInWireForm = true;
            return result;
        }
        var span = Bytes.Span;
        var converted = LineEnds.ToCrlf(Bytes[BodyOffset..]).Span;
        var whole = new byte[BodyOffset + converted.Length];
        span[..BodyOffset].CopyTo(whole);
        converted.CopyTo(whole.AsSpan(BodyOffset));
        Bytes = whole;
        BodyInWireForm = true;
        return DkimCanonicalizer.TryHashBody(Body, canonicalization, limit, checkLineEnds: false)!.Value;
    }

    /// <summary>The message split, or null when the header has a bare LF (unless the bytes are already wire form).
    /// A field ends at an LF (after its CR) not followed by SP or HTAB; the header ends at the first empty line.</summary>
    private static WireMessage? Split(ReadOnlyMemory<byte> bytes, bool bodyInWireForm)
    {
        var span = bytes.Span;
        var headers = new List<HeaderField>(32);
        var bodyOffset = span.Length;
        var fieldStart = 0;
        var lineFeeds = new LineFeeds(span);
        if (span.StartsWith(Crlf)) bodyOffset = 2;
        else
        {
            while (true)
            {
                var lineFeed = lineFeeds.Next();
                if (lineFeed < 0)
                {
                    if (fieldStart < span.Length) headers.Add(Field(span, fieldStart, span.Length));
                    break;
                }
                if (lineFeed == 0 || span[lineFeed - 1] != (byte)'\r') return null;
                var next = lineFeed + 1;
                if (next < span.Length && span[next] is (byte)' ' or (byte)'\t') continue; // a folded line goes on
                headers.Add(Field(span, fieldStart, next));
                fieldStart = next;
                if (span[next..].StartsWith(Crlf))
                {
                    bodyOffset = next + 2;
                    break;
                }
            }
        }
        return new WireMessage(bytes, headers, bodyOffset, bodyInWireForm || bodyOffset == span.Length);
    }

    private static HeaderField Field(ReadOnlySpan<byte> span, int start, int end) => new(FieldName(span[start..end]), start, end - start);

    /// <summary>The LFs of a message, in order, found 64 octets at a time as a bit mask (the same masks the body scan
    /// reads) instead of by one search per line.</summary>
    private ref struct LineFeeds(ReadOnlySpan<byte> span)
    {
        private readonly ReadOnlySpan<byte> span = span;
        private int block = -64; // the block whose LFs are in the mask
        private ulong mask;

        /// <summary>The next LF's index, or -1.</summary>
        public int Next()
        {
            while (mask == 0)
            {
                block += 64;
                if (block >= span.Length) return -1;
                if (block + 64 <= span.Length)
                {
                    mask = DkimCanonicalizer.Masks(ref Unsafe.Add(ref MemoryMarshal.GetReference(span), block)).Lf;
                }
                else
                {
                    for (var i = block; i < span.Length; i++)
                        if (span[i] == (byte)'\n') mask |= 1UL << (i - block);
                }
            }
            var bit = BitOperations.TrailingZeroCount(mask);
            mask &= mask - 1;
            return block + bit;
        }
    }

    private static string FieldName(ReadOnlySpan<byte> field)
    {
        var colon = field.IndexOf((byte)':');
        if (colon < 0) return string.Empty;
        return FieldNames.Of(field[..colon].TrimEnd(" \t"u8));
    }
}
