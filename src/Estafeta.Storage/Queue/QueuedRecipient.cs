namespace Estafeta.Storage;

/// <summary>One recipient of a queued message, with the outcome of its last attempt.</summary>
public sealed record QueuedRecipient(long Id, string Address, OutboundState State, string? DsnNotify, string? DsnOrcpt, string? LastError)
{
    public int Attempts { get; init; }

    /// <summary>Enhanced status code of the last answer (RFC 3463), such as 4.2.2.</summary>
    public string? Status { get; init; }

    /// <summary>The host that gave the last answer.</summary>
    public string? RemoteMta { get; init; }

    public DateTimeOffset? UpdatedAt { get; init; }
}
