namespace Estafeta.Imap.Store;

/// <summary>
/// One mailbox opened by one session (SELECT or EXAMINE).
///
/// The engine keeps the session's own view (the UIDs it has announced, which give the message sequence
/// numbers) and asks the store only in UIDs. Every change of the mailbox — a new message, a flag change,
/// an expunge — takes the mailbox's next modseq (RFC 7162), so <see cref="HighestModSeq"/> is the one counter
/// a session compares to learn that something happened, and <see cref="GetChangesAsync"/> tells it what.
///
/// Concurrency: several sessions (and delivery) may change one mailbox at once; each call is atomic on its
/// own. Calls of one session never overlap.
/// </summary>
public interface IImapMailbox : IAsyncDisposable
{
    /// <summary>The mailbox name as the store knows it.</summary>
    string Name { get; }

    /// <summary>The UIDVALIDITY: never changes while the mailbox exists.</summary>
    long UidValidity { get; }

    /// <summary>The highest modseq committed in this mailbox by anyone, as known to this process right now.
    /// Read after every command, so it must be cheap (no I/O): the store keeps it current from its own
    /// notifications.</summary>
    long HighestModSeq { get; }

    /// <summary>The state at SELECT: every UID in ascending order, UIDNEXT, HIGHESTMODSEQ, the keywords in use,
    /// and the UID of the first message without \Seen. Consistent as of one moment.</summary>
    ValueTask<MailboxSnapshot> GetSnapshotAsync(CancellationToken ct);

    /// <summary>The metadata of the messages of <paramref name="uids"/> that still exist, in ascending UID order.
    /// UIDs that do not exist (any more) are left out silently.</summary>
    ValueTask<IReadOnlyList<ImapMessage>> GetMessagesAsync(UidSet uids, CancellationToken ct);

    /// <summary>Opens the content of a message (the RFC 5322 octets as stored, <see cref="ImapMessage.Size"/> long),
    /// or null when it was expunged. The engine reads it once from the start and disposes it; the stream
    /// need not be seekable.</summary>
    ValueTask<Stream?> OpenContentAsync(long uid, CancellationToken ct);

    /// <summary>
    /// What changed after <paramref name="sinceModSeq"/>: every existing message whose modseq is greater
    /// (new ones and ones whose flags changed), and the UIDs of messages expunged with a modseq greater than it.
    /// <see cref="MailboxChanges.Vanished"/> may be null when the store no longer remembers expunges that old;
    /// the engine then compares UID lists itself (a store that keeps no expunge records at all returns null
    /// always). Also used for QRESYNC (RFC 7162 §3.2.5) and for CHANGEDSINCE.
    /// </summary>
    ValueTask<MailboxChanges> GetChangesAsync(long sinceModSeq, CancellationToken ct);

    /// <summary>
    /// The \Recent flag of RFC 3501 §2.3.2: a message is recent for exactly one session, the first that selects the
    /// mailbox after it arrived or that learns of it while it has the mailbox selected. The mailbox keeps the highest
    /// UID already handed out as recent. This returns that UID as it was before the call and, when
    /// <paramref name="claim"/> is true, raises it to <paramref name="upToUid"/> atomically, so that the messages
    /// with a UID above the returned value, up to <paramref name="upToUid"/>, are this session's recent ones and no
    /// other session's. With <paramref name="claim"/> false (EXAMINE, which must not take \Recent away) it only reads.
    /// </summary>
    ValueTask<long> ClaimRecentAsync(long upToUid, bool claim, CancellationToken ct);

    /// <summary>Every UID that exists now, ascending: used when <see cref="MailboxChanges.Vanished"/> is null.</summary>
    ValueTask<IReadOnlyList<long>> GetUidsAsync(CancellationToken ct);

    /// <summary>Completes when <see cref="HighestModSeq"/> is greater than <paramref name="knownModSeq"/>
    /// (at once if it already is), or throws <see cref="OperationCanceledException"/> when
    /// <paramref name="ct"/> fires. This is the change feed behind IDLE: a delivery or a change made by
    /// another session must complete it promptly (well within a second), without polling on the engine's side.</summary>
    Task WaitForChangeAsync(long knownModSeq, CancellationToken ct);

    /// <summary>
    /// Changes the flags of the messages of <paramref name="uids"/> (STORE). Messages that really change get a new
    /// modseq (one modseq for the whole call is fine). With <paramref name="unchangedSince"/> set (CONDSTORE),
    /// a message whose modseq is greater is not changed and its UID is returned in
    /// <see cref="StoreFlagsResult.Failed"/>. Returns the resulting state of every message found — changed or not,
    /// but not the failed ones — in ascending UID order.
    /// </summary>
    ValueTask<StoreFlagsResult> StoreFlagsAsync(UidSet uids, FlagOperation operation, MessageFlags flags,
        IReadOnlyList<string> keywords, long? unchangedSince, CancellationToken ct);

    /// <summary>Removes the messages that have \Deleted, all of them when <paramref name="uids"/> is null, or
    /// only those within <paramref name="uids"/> (UID EXPUNGE). Returns the UIDs removed, ascending, and the
    /// modseq of the expunge.</summary>
    ValueTask<ExpungeResult> ExpungeAsync(UidSet? uids, CancellationToken ct);

    /// <summary>
    /// Copies (or, with <paramref name="move"/>, moves) the messages of <paramref name="uids"/> to the mailbox
    /// <paramref name="target"/>, keeping flags, keywords and internal dates. The copies get new UIDs in the
    /// target, in the order of the source UIDs. A move expunges the sources (atomically with the copy when the
    /// store can). Returns <see cref="StoreOutcome.NoSuchMailbox"/> when the target does not exist,
    /// <see cref="StoreOutcome.OverQuota"/> when the copies do not fit; then nothing is copied.
    /// </summary>
    ValueTask<CopyResult> CopyAsync(UidSet uids, string target, bool move, CancellationToken ct);
}
