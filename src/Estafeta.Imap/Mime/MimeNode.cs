namespace Estafeta.Imap.Mime;

/// <summary>A MIME parameter as written (RFC 2231 forms are kept as they are).</summary>
internal sealed record MimeParameter(byte[] Name, byte[] Value);

/// <summary>
/// One body part with its octet offsets in the message: headers from <see cref="HeaderStart"/> to
/// <see cref="BodyStart"/> (blank line included), body to <see cref="End"/> (without the CRLF that belongs to
/// the next boundary). What BODYSTRUCTURE says about it is parsed once and kept here.
/// </summary>
internal sealed class MimeNode
{
    public required long HeaderStart { get; init; }
    public required long BodyStart { get; init; }
    public required long End { get; init; }
    /// <summary>LF count of the body.</summary>
    public required long Lines { get; init; }
    public required byte[] Type { get; init; }
    public required byte[] Subtype { get; init; }
    public required List<MimeParameter> Parameters { get; init; }
    public byte[]? Id { get; init; }
    public byte[]? Description { get; init; }
    public required byte[] Encoding { get; init; }
    public byte[]? Md5 { get; init; }
    public byte[]? DispositionType { get; init; }
    public List<MimeParameter>? DispositionParameters { get; init; }
    public List<byte[]>? Language { get; init; }
    public byte[]? Location { get; init; }
    public List<MimeNode> Children { get; } = [];
    /// <summary>For message/rfc822 (and message/global): the encapsulated message.</summary>
    public MessageNode? Message { get; set; }

    public bool IsMultipart => Children.Count > 0 || Ascii(Type) == "multipart";
    public bool IsText => Ascii(Type) == "text";
    public bool IsMessage => Message is not null;
    public long Size => End - BodyStart;

    public static string Ascii(byte[] value) => System.Text.Encoding.ASCII.GetString(value).ToLowerInvariant();
}

/// <summary>A message (the top level, or one encapsulated in a message/rfc822 part): its header, its body part
/// tree, and its envelope.</summary>
internal sealed class MessageNode
{
    public required long Start { get; init; }
    public required long BodyStart { get; init; }
    public required long End { get; init; }
    public required MimeNode Body { get; init; }
    public required Envelope Envelope { get; init; }
}
