namespace Estafeta.Storage;

/// <summary>
/// A mailbox of an account with its IMAP state and a summary of its content. <see cref="UidValidity"/> is
/// distinct for every mailbox creation; <see cref="UidNext"/> is the UID the next message will get.
/// <see cref="DeletedCount"/> counts the messages flagged \Deleted; <see cref="RecentCount"/> the messages no IMAP
/// session has yet seen as \Recent (see <see cref="MailStore.ClaimRecentAsync"/>).
/// </summary>
public sealed record Mailbox(
    long Id,
    long AccountId,
    string Name,
    string? SpecialUse,
    long UidValidity,
    long UidNext,
    long HighestModSeq,
    bool Subscribed,
    long MessageCount,
    long UnseenCount,
    long TotalBytes,
    long DeletedCount = 0,
    long RecentCount = 0);
