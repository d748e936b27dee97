namespace Estafeta.Storage;

public sealed record QueuedRecipient(long Id, string Address, OutboundState State, string? DsnNotify, string? DsnOrcpt, string? LastError);
