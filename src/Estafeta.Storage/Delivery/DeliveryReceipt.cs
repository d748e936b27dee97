namespace Estafeta.Storage;

/// <summary>What <see cref="DeliveryWriter.CommitAsync"/> made durable: a copy per target, in target order, and the queue entry if any.</summary>
public sealed record DeliveryReceipt(IReadOnlyList<DeliveredCopy> Copies, long? QueueId);
