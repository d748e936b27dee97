using System.Buffers;
using System.Text;
using MimeKit;

namespace Estafeta.Imap.Mime;

/// <summary>
/// Parses a message once into a <see cref="MessageNode"/> tree: MimeKit finds the structure and the octet offsets
/// of every part; the values BODYSTRUCTURE reports are taken from the raw headers, as other IMAP servers report
/// them. The stream must be seekable; the parser does not copy part contents.
/// </summary>
internal static class MessageParser
{
    private sealed record Offsets(long Begin, long HeadersEnd, long End);

    public static async Task<MessageNode> ParseAsync(Stream content, CancellationToken ct)
    {
        var entities = new Dictionary<MimeEntity, Offsets>(ReferenceEqualityComparer.Instance);
        var messages = new Dictionary<MimeMessage, Offsets>(ReferenceEqualityComparer.Instance);
        content.Position = 0;
        var parser = new MimeParser(ParserOptions.Default, content, MimeFormat.Entity, persistent: true);
        parser.MimeEntityEnd += (_, e) => entities[e.Entity] = new Offsets(e.BeginOffset, e.HeadersEndOffset, e.EndOffset);
        parser.MimeMessageEnd += (_, e) => messages[e.Message] = new Offsets(e.BeginOffset, e.HeadersEndOffset, e.EndOffset);
        MimeMessage message;
        try
        {
            message = await parser.ParseMessageAsync(ct).ConfigureAwait(false);
        }
        catch (FormatException)
        {
            // MimeKit gives up on a header that does not start with a field ("x" as the first line) or that ends inside
            // one. Such a message (APPEND takes any octets) is read as no header and a plain text body of all its octets.
            var lines = await CountLinesAsync(content, 0, content.Length, ct).ConfigureAwait(false);
            var body = Empty(new Offsets(0, 0, content.Length), lines);
            return new MessageNode { Start = 0, BodyStart = 0, End = content.Length, Body = body, Envelope = Envelope.Parse(new HeaderList()) };
        }
        var root = await MessageAsync(message, messages, entities, content, ct).ConfigureAwait(false);
        var length = content.Length;
        return root.End == length ? root : new MessageNode { Start = root.Start, BodyStart = root.BodyStart, End = length, Body = root.Body, Envelope = root.Envelope };
    }

    private static async Task<MessageNode> MessageAsync(MimeMessage message, Dictionary<MimeMessage, Offsets> messages, Dictionary<MimeEntity, Offsets> entities, Stream content, CancellationToken ct)
    {
        var offsets = messages[message];
        var body = message.Body is null
            ? Empty(offsets)
            : await NodeAsync(message.Body, messages, entities, content, ct).ConfigureAwait(false);
        return new MessageNode { Start = offsets.Begin, BodyStart = offsets.HeadersEnd, End = offsets.End, Body = body, Envelope = Envelope.Parse(message.Headers) };
    }

    private static async Task<MimeNode> NodeAsync(MimeEntity entity, Dictionary<MimeMessage, Offsets> messages, Dictionary<MimeEntity, Offsets> entities, Stream content, CancellationToken ct)
    {
        var offsets = entities[entity];
        var headers = entity.Headers;
        var type = Encoding.ASCII.GetBytes(entity.ContentType.MediaType);
        var subtype = Encoding.ASCII.GetBytes(entity.ContentType.MediaSubtype);
        var parameters = Envelope.Value(headers, "Content-Type") is { } contentType ? MimeHeaderParser.Parse(contentType).Parameters : [];
        var isText = entity.ContentType.IsMimeType("text", "*");
        if (isText && !parameters.Any(p => Encoding.ASCII.GetString(p.Name).Equals("charset", StringComparison.OrdinalIgnoreCase)))
            parameters.Insert(0, new MimeParameter("charset"u8.ToArray(), "us-ascii"u8.ToArray()));

        byte[]? dispositionType = null;
        List<MimeParameter>? dispositionParameters = null;
        if (Envelope.Value(headers, "Content-Disposition") is { } disposition)
        {
            var parsed = MimeHeaderParser.Parse(disposition);
            if (parsed.Value.Length > 0)
            {
                dispositionType = parsed.Value;
                dispositionParameters = parsed.Parameters;
            }
        }
        var encapsulated = entity is MessagePart { Message: not null } && entity.ContentType.IsMimeType("message", "*");
        var node = new MimeNode
        {
            HeaderStart = offsets.Begin,
            BodyStart = offsets.HeadersEnd,
            End = offsets.End,
            Lines = isText || encapsulated ? await CountLinesAsync(content, offsets.HeadersEnd, offsets.End, ct).ConfigureAwait(false) : 0,
            Type = type,
            Subtype = subtype,
            Parameters = parameters,
            Id = Envelope.Value(headers, "Content-ID"),
            Description = Envelope.Value(headers, "Content-Description"),
            Encoding = Envelope.Value(headers, "Content-Transfer-Encoding") ?? "7bit"u8.ToArray(),
            Md5 = Envelope.Value(headers, "Content-MD5"),
            DispositionType = dispositionType,
            DispositionParameters = dispositionParameters,
            Language = Languages(Envelope.Value(headers, "Content-Language")),
            Location = Envelope.Value(headers, "Content-Location"),
        };
        if (entity is Multipart multipart)
            foreach (var child in multipart) node.Children.Add(await NodeAsync(child, messages, entities, content, ct).ConfigureAwait(false));
        if (encapsulated) node.Message = await MessageAsync(((MessagePart)entity).Message!, messages, entities, content, ct).ConfigureAwait(false);
        return node;
    }

    private static MimeNode Empty(Offsets offsets, long lines = 0) => new()
    {
        HeaderStart = offsets.Begin,
        BodyStart = offsets.HeadersEnd,
        End = offsets.End,
        Lines = lines,
        Type = "text"u8.ToArray(),
        Subtype = "plain"u8.ToArray(),
        Parameters = [new MimeParameter("charset"u8.ToArray(), "us-ascii"u8.ToArray())],
        Encoding = "7bit"u8.ToArray(),
    };

    private static List<byte[]>? Languages(byte[]? raw)
    {
        if (raw is null) return null;
        var list = Encoding.ASCII.GetString(raw).Split([',', ' ', '\t'], StringSplitOptions.RemoveEmptyEntries)
            .Select(Encoding.ASCII.GetBytes).ToList();
        return list.Count == 0 ? null : list;
    }

    private static async Task<long> CountLinesAsync(Stream content, long start, long end, CancellationToken ct)
    {
        if (end <= start) return 0;
        var buffer = ArrayPool<byte>.Shared.Rent(32 * 1024);
        try
        {
            content.Position = start;
            long lines = 0;
            var left = end - start;
            while (left > 0)
            {
                var read = await content.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, left)), ct).ConfigureAwait(false);
                if (read == 0) break;
                lines += buffer.AsSpan(0, read).Count((byte)'\n');
                left -= read;
            }
            return lines;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }
}
