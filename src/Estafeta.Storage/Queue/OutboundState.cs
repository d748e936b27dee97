namespace Estafeta.Storage;

/// <summary>State of a queue entry or of one of its recipients; stored as its lowercase name.</summary>
public enum OutboundState
{
    /// <summary>Waiting for its next attempt.</summary>
    Queued,

    /// <summary>Accepted by the remote server (recipient only).</summary>
    Delivered,

    /// <summary>Failed for good; a DSN is due or was sent (recipient only).</summary>
    Failed,

    /// <summary>Kept in the queue but not attempted until released (message only, set by an operator).</summary>
    Held,
}
