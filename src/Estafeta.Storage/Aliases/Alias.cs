namespace Estafeta.Storage;

/// <summary>One target of an alias address. An alias with several targets has one row per target.</summary>
public sealed record Alias(string Address, string Target, DateTimeOffset CreatedAt);
