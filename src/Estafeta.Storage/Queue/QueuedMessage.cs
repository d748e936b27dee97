namespace Estafeta.Storage;

/// <summary>A message in the outbound queue with its recipients.</summary>
public sealed record QueuedMessage(
    long Id,
    string BlobHash,
    long Size,
    string EnvelopeSender,
    long? AccountId,
    string? DsnRet,
    string? DsnEnvId,
    OutboundState State,
    int Attempts,
    DateTimeOffset CreatedAt,
    DateTimeOffset NextAttemptAt,
    string? LastError,
    IReadOnlyList<QueuedRecipient> Recipients);
