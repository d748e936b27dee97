using MimeKit;

namespace Estafeta.Imap.Mime;

/// <summary>The ENVELOPE of a message (RFC 9051 §7.5.2), from its raw header values: unfolded, not decoded.
/// An absent or empty address header is null (NIL); Sender and Reply-To default to From.</summary>
internal sealed record Envelope(
    byte[]? Date,
    byte[]? Subject,
    List<EnvelopeAddress>? From,
    List<EnvelopeAddress>? Sender,
    List<EnvelopeAddress>? ReplyTo,
    List<EnvelopeAddress>? To,
    List<EnvelopeAddress>? Cc,
    List<EnvelopeAddress>? Bcc,
    byte[]? InReplyTo,
    byte[]? MessageId)
{
    public static Envelope Parse(HeaderList headers)
    {
        var from = Addresses(headers, "From");
        return new Envelope(
            Value(headers, "Date"),
            Value(headers, "Subject"),
            from,
            Addresses(headers, "Sender") ?? from,
            Addresses(headers, "Reply-To") ?? from,
            Addresses(headers, "To"),
            Addresses(headers, "Cc"),
            Addresses(headers, "Bcc"),
            Value(headers, "In-Reply-To"),
            Value(headers, "Message-ID"));
    }

    /// <summary>The first header of that name, unfolded and trimmed, or null when there is none.</summary>
    public static byte[]? Value(HeaderList headers, string name)
    {
        var index = headers.IndexOf(name);
        return index < 0 ? null : HeaderValues.Unfold(headers[index].RawValue);
    }

    private static List<EnvelopeAddress>? Addresses(HeaderList headers, string name)
    {
        var raw = Value(headers, name);
        if (raw is null) return null;
        var list = AddressParser.Parse(raw);
        return list.Count == 0 ? null : list;
    }
}
