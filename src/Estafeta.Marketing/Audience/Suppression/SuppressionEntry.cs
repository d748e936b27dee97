namespace Estafeta.Marketing.Audience;

/// <summary>One suppressed address. <see cref="Email"/> is null for erased contacts: only <see cref="Hash"/> remains.</summary>
public sealed record SuppressionEntry(long Id, string? Email, string Hash, SuppressionReason Reason, string? Note, DateTimeOffset CreatedAt);
