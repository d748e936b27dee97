namespace Estafeta.Storage;

/// <summary>What happened to one message for one recipient address; stored as the lowercase name.</summary>
public enum OutboundEventKind
{
    /// <summary>The recipient's server answered 250 (or a success DSN came back).</summary>
    Delivered,

    /// <summary>A temporary failure; the queue tries again.</summary>
    Deferred,

    /// <summary>A permanent failure: a 5xx answer, an expired message, or a bounce that came back later.</summary>
    Bounced,

    /// <summary>The recipient marked the message as spam (an ARF report of a feedback loop).</summary>
    Complained,
}

/// <summary>
/// One outcome for the analytics and list-hygiene work to read. <paramref name="BounceClass"/> is set for bounces
/// and deferrals ("hard", "soft", "mailbox_full", "blocked", ...); <paramref name="Source"/> says where it was
/// learnt ("smtp" during delivery, "expiry", "dsn" or "bounce" for mail that came back, "arf" for complaints).
/// <paramref name="QueueId"/>, <paramref name="QueuedAt"/> and <paramref name="RecipientId"/> identify the queued
/// message and recipient (queue ids can be reused after the queue empties; with the time they are unique).
/// </summary>
public sealed record OutboundEvent(
    DateTimeOffset At,
    OutboundEventKind Kind,
    string Address,
    string Sender,
    string Destination,
    string Source,
    string? BounceClass = null,
    long? QueueId = null,
    DateTimeOffset? QueuedAt = null,
    long? RecipientId = null,
    string? MessageId = null,
    string? Status = null,
    string? Detail = null)
{
    /// <summary>Stored id; 0 before it is recorded.</summary>
    public long Id { get; init; }

    /// <summary>The domain of <see cref="Sender"/> (empty for the null sender).</summary>
    public string SendingDomain => Sender.LastIndexOf('@') is var at and >= 0 ? Sender[(at + 1)..].ToLowerInvariant() : "";
}
