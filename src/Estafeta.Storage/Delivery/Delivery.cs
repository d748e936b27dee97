namespace Estafeta.Storage;

/// <summary>
/// One message to make durable: filed into zero or more local mailboxes and optionally queued for outbound
/// delivery, all in one transaction. <paramref name="Blob"/> must have been committed by a <see cref="BlobWriter"/>.
/// </summary>
public sealed record Delivery(
    BlobRef Blob,
    IReadOnlyList<DeliveryTarget> Targets,
    DateTimeOffset InternalDate,
    MessageEnvelope Envelope,
    MessageFlags Flags = MessageFlags.None,
    OutboundMessage? Outbound = null,
    IReadOnlyList<string>? Keywords = null);
