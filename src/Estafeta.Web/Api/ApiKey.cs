namespace Estafeta.Web.Api;

/// <summary>An API key as stored: its public prefix (shown in listings), scopes and per-minute request limit. The secret is only a hash.</summary>
public sealed record ApiKey(long Id, string Name, string Prefix, IReadOnlyList<string> Scopes, int RatePerMinute, DateTimeOffset CreatedAt, DateTimeOffset? LastUsedAt, DateTimeOffset? RevokedAt);
