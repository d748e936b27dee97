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

    /// <summary>The message split, or null when the header has a bare LF (unless the bytes are already wire form).</summary>
    private static WireMessage? Split(ReadOnlyMemory<byte> bytes, bool bodyInWireForm)
    {
        var span = bytes.Span;
        var headers = new List<HeaderField>(32);
        var position = 0;
        var bodyOffset = span.Length;
        while (position < span.Length)
        {
            if (span[position..].StartsWith(Crlf))
            {
                bodyOffset = position + 2;
                break;
            }
            var end = FieldEnd(span, position);
            if (end < 0) return null;
            headers.Add(new HeaderField(FieldName(span[position..end]), position, end - position));
            position = end;
        }
        return new WireMessage(bytes, headers, bodyOffset, bodyInWireForm || bodyOffset == span.Length);
    }

    /// <summary>Where the field starting at <paramref name="start"/> ends (after its last CRLF), or -1 at a bare LF.
    /// Lines are found by their LF, a one-octet search, and each LF's CR checked behind it.</summary>
    private static int FieldEnd(ReadOnlySpan<byte> span, int start)
    {
        var position = start;
        while (true)
        {
            var lineEnd = span[position..].IndexOf((byte)'\n');
            if (lineEnd < 0) return span.Length;
            position += lineEnd;
            if (position == 0 || span[position - 1] != (byte)'\r') return -1;
            position++;
            if (position >= span.Length || (span[position] != (byte)' ' && span[position] != (byte)'\t')) return position;
        }
    }

    private static string FieldName(ReadOnlySpan<byte> field)
    {
        var colon = field.IndexOf((byte)':');
        if (colon < 0) return string.Empty;
        return FieldNames.Of(field[..colon].TrimEnd(" \t"u8));
    }
}
