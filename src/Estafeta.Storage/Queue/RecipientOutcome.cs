namespace Estafeta.Storage;

/// <summary>What one attempt did for one recipient: <see cref="OutboundState.Delivered"/>,
/// <see cref="OutboundState.Failed"/> (for good), or <see cref="OutboundState.Queued"/> (deferred), with the
/// enhanced status code, the remote answer and the host that gave it.</summary>
public sealed record RecipientOutcome(long RecipientId, OutboundState State, string? Status, string? Reply, string? RemoteMta);
