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

    private WireMessage(ReadOnlyMemory<byte> bytes, List<HeaderField> headers, int bodyOffset)
    {
        Bytes = bytes;
        this.headers = headers;
        BodyOffset = bodyOffset;
    }

    public ReadOnlyMemory<byte> Bytes { get; }
    public IReadOnlyList<HeaderField> Headers => headers;
    /// <summary>The header fields, top to bottom, for loops that index them often.</summary>
    public ReadOnlySpan<HeaderField> Fields => CollectionsMarshal.AsSpan(headers);
    public int BodyOffset { get; }
    public ReadOnlySpan<byte> Body => Bytes.Span[BodyOffset..];

    public ReadOnlySpan<byte> FieldBytes(HeaderField field) => Bytes.Span.Slice(field.Offset, field.Length);

    /// <summary>Splits a message whose lines end in CRLF (see <see cref="LineEnds.ToCrlf"/>).</summary>
    public static WireMessage Parse(ReadOnlyMemory<byte> bytes)
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
            headers.Add(new HeaderField(FieldName(span[position..end]), position, end - position));
            position = end;
        }
        return new WireMessage(bytes, headers, bodyOffset);
    }

    private static int FieldEnd(ReadOnlySpan<byte> span, int start)
    {
        var position = start;
        while (true)
        {
            var lineEnd = span[position..].IndexOf(Crlf);
            if (lineEnd < 0) return span.Length;
            position += lineEnd + 2;
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
