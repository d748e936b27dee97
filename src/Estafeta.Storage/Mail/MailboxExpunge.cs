namespace Estafeta.Storage;

/// <summary>The UIDs an expunge removed from one mailbox, ascending, and the modseq it took (0 when none).</summary>
public sealed record MailboxExpunge(IReadOnlyList<long> Uids, long ModSeq);
