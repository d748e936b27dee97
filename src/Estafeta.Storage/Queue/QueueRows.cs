namespace Estafeta.Storage;

/// <summary>Rows of the outbound tables as Dapper reads them.</summary>
internal sealed class QueueRow
{
    public long Id { get; set; }
    public string BlobHash { get; set; } = "";
    public long Size { get; set; }
    public string EnvelopeSender { get; set; } = "";
    public long? AccountId { get; set; }
    public string? DsnRet { get; set; }
    public string? DsnEnvId { get; set; }
    public string State { get; set; } = "";
    public long Attempts { get; set; }
    public long CreatedAt { get; set; }
    public long NextAttemptAt { get; set; }
    public string? LastError { get; set; }
    public long Verp { get; set; }
    public long DelayNotified { get; set; }
    public string? LeaseOwner { get; set; }
    public long? LeaseUntil { get; set; }
}

internal sealed class QueueRecipientRow
{
    public long Id { get; set; }
    public long QueueId { get; set; }
    public string Address { get; set; } = "";
    public string State { get; set; } = "";
    public string? DsnNotify { get; set; }
    public string? DsnOrcpt { get; set; }
    public string? LastError { get; set; }
    public long Attempts { get; set; }
    public string? Status { get; set; }
    public string? RemoteMta { get; set; }
    public long? UpdatedAt { get; set; }
}

internal sealed class AttemptRow
{
    public long Id { get; set; }
    public long QueueId { get; set; }
    public string? Recipient { get; set; }
    public long At { get; set; }
    public string Destination { get; set; } = "";
    public string? MxHost { get; set; }
    public string? MxAddress { get; set; }
    public string? Tls { get; set; }
    public string Outcome { get; set; } = "";
    public string? Reply { get; set; }
}

internal sealed class EventRow
{
    public long Id { get; set; }
    public long At { get; set; }
    public string Kind { get; set; } = "";
    public string? BounceClass { get; set; }
    public long? QueueId { get; set; }
    public long? QueuedAt { get; set; }
    public long? RecipientId { get; set; }
    public string Address { get; set; } = "";
    public string Sender { get; set; } = "";
    public string SendingDomain { get; set; } = "";
    public string Destination { get; set; } = "";
    public string? MessageId { get; set; }
    public string? Status { get; set; }
    public string? Detail { get; set; }
    public string Source { get; set; } = "";
}
