namespace Estafeta.Imap.Store;

/// <summary>
/// What changed in a mailbox after a modseq (see <see cref="IImapMailbox.GetChangesAsync"/>).
/// <paramref name="Changed"/>: existing messages with a greater modseq, ascending by UID.
/// <paramref name="Vanished"/>: UIDs expunged with a greater modseq, ascending; null when unknown.
/// <paramref name="HighestModSeq"/>: the mailbox's modseq the answer is complete up to.
/// </summary>
public sealed record MailboxChanges(
    IReadOnlyList<ImapMessage> Changed,
    IReadOnlyList<long>? Vanished,
    long HighestModSeq,
    long UidNext);
