namespace Estafeta.Storage;

/// <summary>
/// The header fields IMAP's ENVELOPE needs, as raw (unfolded, undecoded) header values; null when the header is
/// absent. The writer of a message fills it from the parsed headers; decoding is the reader's job.
/// </summary>
public sealed record MessageEnvelope(
    string? Date,
    string? Subject,
    string? From,
    string? Sender,
    string? ReplyTo,
    string? To,
    string? Cc,
    string? Bcc,
    string? InReplyTo,
    string? MessageId)
{
    public static readonly MessageEnvelope Empty = new(null, null, null, null, null, null, null, null, null, null);
}
