namespace Estafeta.Storage;

/// <summary>
/// A mailbox to file a delivered message in: the account plus either a mailbox name (INBOX in any case) or a
/// mailbox id. A named mailbox that does not exist means the account's INBOX (see <see cref="DeliveredCopy.MailboxId"/>
/// for where it went); a mailbox id must exist and belong to the account, else the delivery fails with
/// <see cref="NotFoundException"/>.
/// </summary>
public sealed record DeliveryTarget(long AccountId, string? MailboxName = null, long? MailboxId = null)
{
    public static DeliveryTarget Inbox(long accountId) => new(accountId, Storage.MailboxName.Inbox);

    public static DeliveryTarget Named(long accountId, string mailboxName) => new(accountId, mailboxName);

    public static DeliveryTarget ById(long accountId, long mailboxId) => new(accountId, null, mailboxId);
}
