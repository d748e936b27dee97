namespace Estafeta.Storage;

/// <summary>Which queue entries to list: a recipient domain, a state, entries older than an age.</summary>
public sealed record QueueFilter(string? RecipientDomain = null, OutboundState? State = null, TimeSpan? OlderThan = null, int Limit = 1000);
