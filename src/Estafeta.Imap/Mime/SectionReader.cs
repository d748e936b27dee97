using System.Text;
using Estafeta.Imap.Grammar;
using MimeKit.Encodings;

namespace Estafeta.Imap.Mime;

/// <summary>
/// The octets of a body section (RFC 9051 §6.4.5): part numbers address parts of multiparts and, through a
/// message/rfc822 part, parts of the encapsulated message; part 1 of a message that is not multipart is its body.
/// A section that does not exist is empty, as other servers answer.
/// </summary>
internal static class SectionReader
{
    public static async Task<byte[]> ReadAsync(MessageContent content, Section section, CancellationToken ct)
    {
        var root = await content.StructureAsync(ct).ConfigureAwait(false);
        MimeNode? node = null;
        if (section.Part.Count > 0)
        {
            node = Locate(root, section.Part);
            if (node is null) return [];
        }
        var message = node is null ? root : node.Message;
        switch (section.Text)
        {
            case SectionText.None:
                return node is null ? await content.ReadAsync(root.Start, root.End, ct).ConfigureAwait(false)
                    : await content.ReadAsync(node.BodyStart, node.End, ct).ConfigureAwait(false);
            case SectionText.Mime:
                return await content.ReadAsync(node!.HeaderStart, node.BodyStart, ct).ConfigureAwait(false);
            case SectionText.Text:
                return message is null ? [] : await content.ReadAsync(message.BodyStart, message.End, ct).ConfigureAwait(false);
            default:
                if (message is null) return [];
                var header = await content.ReadAsync(message.Start, message.BodyStart, ct).ConfigureAwait(false);
                return section.Text == SectionText.Header ? header : FilterFields(header, section.Fields, section.Text == SectionText.HeaderFieldsNot);
        }
    }

    /// <summary>The part that part numbers name, or null.</summary>
    public static MimeNode? Locate(MessageNode root, IReadOnlyList<int> part)
    {
        var current = root.Body;
        for (var i = 0; i < part.Count; i++)
        {
            if (i > 0)
            {
                if (current.Message is { } inner) current = inner.Body;
                else if (!current.IsMultipart) return null;
            }
            var n = part[i];
            if (current.IsMultipart)
            {
                if (n > current.Children.Count) return null;
                current = current.Children[n - 1];
            }
            else if (n != 1) return null;
        }
        return current;
    }

    /// <summary>The decoded content of a part (BINARY, RFC 3516); null when its transfer encoding is unknown.</summary>
    public static async Task<byte[]?> ReadBinaryAsync(MessageContent content, Section section, CancellationToken ct)
    {
        if (section.Part.Count == 0) return await ReadAsync(content, section, ct).ConfigureAwait(false);
        var root = await content.StructureAsync(ct).ConfigureAwait(false);
        var node = Locate(root, section.Part);
        if (node is null) return [];
        var raw = await content.ReadAsync(node.BodyStart, node.End, ct).ConfigureAwait(false);
        if (node.IsMultipart || node.IsMessage) return raw;
        var encoding = Encoding.ASCII.GetString(node.Encoding).Trim().ToLowerInvariant();
        if (encoding is "7bit" or "8bit" or "binary" or "") return raw;
        IMimeDecoder? decoder = encoding switch
        {
            "base64" => new Base64Decoder(),
            "quoted-printable" => new QuotedPrintableDecoder(),
            "x-uuencode" or "uuencode" => new UUDecoder(),
            _ => null,
        };
        if (decoder is null) return null;
        var output = new byte[decoder.EstimateOutputLength(raw.Length)];
        var length = decoder.Decode(raw, 0, raw.Length, output);
        return output[..length];
    }

    /// <summary>HEADER.FIELDS / HEADER.FIELDS.NOT: the matching fields, folded lines included, then the blank line.</summary>
    public static byte[] FilterFields(byte[] header, IReadOnlyList<string> fields, bool not)
    {
        var result = new MemoryStream();
        var names = new HashSet<string>(fields, StringComparer.OrdinalIgnoreCase);
        var keep = false;
        var start = 0;
        while (start < header.Length)
        {
            var lf = Array.IndexOf(header, (byte)'\n', start);
            var end = lf < 0 ? header.Length : lf + 1;
            var line = header.AsSpan(start, end - start);
            if (line.Trim("\r\n"u8).Length == 0) break;
            if (line[0] is not ((byte)' ' or (byte)'\t'))
            {
                var colon = line.IndexOf((byte)':');
                var name = colon < 0 ? "" : Encoding.ASCII.GetString(line[..colon]).TrimEnd();
                keep = colon > 0 && names.Contains(name) != not;
            }
            if (keep) result.Write(line);
            start = end;
        }
        result.Write("\r\n"u8);
        return result.ToArray();
    }
}
