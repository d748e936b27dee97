namespace Estafeta.Imap.Store;

/// <summary>
/// The metadata of one message. <paramref name="ContentId"/> identifies the content: two messages with the
/// same ContentId have the same octets (a content hash is ideal). The engine caches what it parses from a
/// message (ENVELOPE, BODYSTRUCTURE) under it.
/// </summary>
public sealed record ImapMessage(
    long Uid,
    long ModSeq,
    MessageFlags Flags,
    IReadOnlyList<string> Keywords,
    DateTimeOffset InternalDate,
    long Size,
    string ContentId);
