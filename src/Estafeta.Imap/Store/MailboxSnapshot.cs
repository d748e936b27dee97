namespace Estafeta.Imap.Store;

/// <summary>The state of a mailbox at one moment, for SELECT and EXAMINE. <paramref name="Uids"/> is every
/// message's UID in ascending order; <paramref name="Keywords"/> the keywords set on any message (for the
/// FLAGS response); <paramref name="FirstUnseenUid"/> the lowest UID without \Seen, or null.</summary>
public sealed record MailboxSnapshot(
    IReadOnlyList<long> Uids,
    long UidNext,
    long HighestModSeq,
    IReadOnlyList<string> Keywords,
    long? FirstUnseenUid);
