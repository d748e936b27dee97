namespace Estafeta.Storage;

/// <summary>A mailbox's own row, without the message counts of <see cref="Mailbox"/>: what IMAP LIST and SELECT need.</summary>
public sealed record MailboxInfo(
    long Id,
    long AccountId,
    string Name,
    string? SpecialUse,
    long UidValidity,
    long UidNext,
    long HighestModSeq,
    bool Subscribed)
{
    public MailboxKey Key => new(AccountId, Id, UidValidity);
}
