namespace Estafeta.Storage;

/// <summary>One message in a mailbox, without its envelope: what POP3 and IMAP list.</summary>
public sealed record MessageSummary(
    long Id,
    long MailboxId,
    long Uid,
    long ModSeq,
    string BlobHash,
    long Size,
    DateTimeOffset InternalDate,
    MessageFlags Flags,
    IReadOnlyList<string> Keywords);
