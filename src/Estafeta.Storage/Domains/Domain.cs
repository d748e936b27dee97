namespace Estafeta.Storage;

/// <summary>A domain this server receives mail for. <see cref="Name"/> is canonical (A-label, lowercase).</summary>
public sealed record Domain(long Id, string Name, string? CatchAll, DateTimeOffset CreatedAt);
