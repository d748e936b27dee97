namespace Estafeta.Imap.Store;

/// <summary>The counters of STATUS (RFC 9051 §6.3.11, RFC 7162 HIGHESTMODSEQ). <paramref name="Size"/> is the
/// sum of the messages' sizes in octets; <paramref name="Deleted"/> counts messages with \Deleted;
/// <paramref name="Recent"/> counts the messages no session has claimed as \Recent yet (RFC 3501 STATUS RECENT).</summary>
public sealed record MailboxStatus(
    long Messages,
    long Unseen,
    long Deleted,
    long UidNext,
    long UidValidity,
    long HighestModSeq,
    long Size,
    long Recent);
