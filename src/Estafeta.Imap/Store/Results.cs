namespace Estafeta.Imap.Store;

/// <summary>The result of APPEND: on success the UIDVALIDITY of the mailbox and the new message's UID (RFC 4315 APPENDUID).</summary>
public sealed record AppendResult(StoreOutcome Outcome, long UidValidity = 0, long Uid = 0);

/// <summary>The result of STORE: the messages' state afterwards, and the UIDs not changed because of UNCHANGEDSINCE.</summary>
public sealed record StoreFlagsResult(IReadOnlyList<ImapMessage> Messages, IReadOnlyList<long> Failed);

/// <summary>The result of EXPUNGE: the UIDs removed (ascending) and the modseq the expunge took (0 when nothing was removed).</summary>
public sealed record ExpungeResult(IReadOnlyList<long> Expunged, long ModSeq);

/// <summary>
/// The result of COPY or MOVE. <paramref name="SourceUids"/>[i] was copied to <paramref name="TargetUids"/>[i]
/// (RFC 4315 COPYUID), ascending by source UID. For a move, <paramref name="Expunged"/> holds the source UIDs
/// removed, with the source mailbox's new modseq.
/// </summary>
public sealed record CopyResult(
    StoreOutcome Outcome,
    long TargetUidValidity,
    IReadOnlyList<long> SourceUids,
    IReadOnlyList<long> TargetUids,
    ExpungeResult? Expunged = null);

/// <summary>The user's storage in octets; <paramref name="LimitBytes"/> null means no limit.</summary>
public sealed record QuotaUsage(long UsedBytes, long? LimitBytes);
