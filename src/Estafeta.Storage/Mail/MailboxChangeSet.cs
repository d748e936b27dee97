namespace Estafeta.Storage;

/// <summary>
/// What changed in a mailbox after a modseq, read in one snapshot: the messages with a greater modseq (new or with
/// changed flags), ascending by UID; the UIDs expunged with a greater modseq, ascending; and the mailbox's highest
/// modseq and UIDNEXT as of that snapshot.
/// </summary>
public sealed record MailboxChangeSet(
    IReadOnlyList<MessageSummary> Changed,
    IReadOnlyList<long> Vanished,
    long HighestModSeq,
    long UidNext);
