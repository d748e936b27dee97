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
    IReadOnlyList<QueuedRecipient> Recipients)
{
    /// <summary>The MTA sends it with a VERP return path.</summary>
    public bool Verp { get; init; }

    /// <summary>A delay notice went to the sender already.</summary>
    public bool DelayNotified { get; init; }

    /// <summary>The node delivering it right now, while its lease lasts.</summary>
    public string? LeaseOwner { get; init; }

    public DateTimeOffset? LeaseUntil { get; init; }
}
