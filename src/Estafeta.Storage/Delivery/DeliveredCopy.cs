namespace Estafeta.Storage;

/// <summary>Where one target's copy was filed.</summary>
public sealed record DeliveredCopy(DeliveryTarget Target, long AccountId, long MailboxId, long MessageId, long Uid, long ModSeq);
