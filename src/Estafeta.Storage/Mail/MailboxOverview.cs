namespace Estafeta.Storage;

/// <summary>A mailbox at one moment, for IMAP SELECT: every UID ascending, the counters, the keywords set on any
/// message, and the lowest UID without \Seen (null when every message is seen).</summary>
public sealed record MailboxOverview(
    IReadOnlyList<long> Uids,
    long UidNext,
    long HighestModSeq,
    IReadOnlyList<string> Keywords,
    long? FirstUnseenUid);
