namespace Estafeta.Storage;

/// <summary>
/// The result of <see cref="MailStore.CopyMessagesAsync"/>: <see cref="SourceUids"/>[i] became
/// <see cref="TargetUids"/>[i] in the target mailbox, ascending. <see cref="TargetModSeq"/> is the modseq the copies
/// took (0 when nothing was copied); <see cref="SourceModSeq"/> the modseq of the source's expunge on a move (else 0).
/// </summary>
public sealed record MessageCopy(
    long TargetMailboxId,
    long TargetUidValidity,
    IReadOnlyList<long> SourceUids,
    IReadOnlyList<long> TargetUids,
    long TargetModSeq,
    long SourceModSeq);
