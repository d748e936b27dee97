using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Dapper;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Web.Api;

/// <summary>
/// API keys: <c>est_PREFIX_SECRET</c>, 8 hex characters of prefix and 256 random bits of secret. Only the SHA-256
/// of the whole key is stored (the secret is random and long, so a fast hash is enough); the key is shown once.
/// </summary>
public sealed class ApiKeyStore(Database db)
{
    private const string Columns =
        "id AS Id, name AS Name, prefix AS Prefix, secret_hash AS SecretHash, scopes AS Scopes, rate_per_minute AS RatePerMinute, " +
        "created_at AS CreatedAt, last_used_at AS LastUsedAt, revoked_at AS RevokedAt";

    /// <summary>Creates a key; returns it with the full secret, which is never retrievable again.</summary>
    public async Task<(ApiKey Key, string Secret)> CreateAsync(string name, IEnumerable<string> scopes, int ratePerMinute = 600, CancellationToken ct = default)
    {
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > 100) throw new InvalidInputException("an API key name has 1 to 100 characters");
        if (ratePerMinute is < 1 or > 1_000_000) throw new InvalidInputException("the rate limit is 1 to 1000000 requests per minute");
        var parsed = ApiScopes.Parse(scopes);
        var prefix = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        var secret = $"est_{prefix}_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}";
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleAsync<Row>(new CommandDefinition(
            $"""
            INSERT INTO api_keys (name, prefix, secret_hash, scopes, rate_per_minute, created_at)
            VALUES (@trimmed, @prefix, @hash, @scopes, @rate, @now) RETURNING {Columns}
            """,
            new { trimmed, prefix, hash = Hash(secret), scopes = string.Join(' ', parsed), rate = (long)ratePerMinute, now = AudienceSql.Now(db) },
            cancellationToken: ct)).ConfigureAwait(false);
        return (row.ToKey(), secret);
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM api_keys ORDER BY id", cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToKey())];
    }

    /// <summary>Revokes the key named by its prefix or id; it stops working at once.</summary>
    public async Task<ApiKey> RevokeAsync(string prefixOrId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var id = long.TryParse(prefixOrId, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1;
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"UPDATE api_keys SET revoked_at = COALESCE(revoked_at, @now) WHERE prefix = @prefixOrId OR id = @id RETURNING {Columns}",
            new { prefixOrId, id, now = AudienceSql.Now(db) }, cancellationToken: ct)).ConfigureAwait(false)
            ?? throw new NotFoundException($"no API key {prefixOrId}");
        return row.ToKey();
    }

    /// <summary>The live key a presented secret belongs to, or null.</summary>
    public async Task<ApiKey?> AuthenticateAsync(string presented, CancellationToken ct = default)
    {
        var parts = presented.Split('_');
        if (parts.Length != 3 || parts[0] != "est" || parts[1].Length != 8) return null;
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM api_keys WHERE prefix = @prefix", new { prefix = parts[1] }, cancellationToken: ct)).ConfigureAwait(false);
        if (row is null || row.RevokedAt is not null) return null;
        if (!CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Hash(presented)), Encoding.ASCII.GetBytes(row.SecretHash))) return null;
        var now = AudienceSql.Now(db);
        if (row.LastUsedAt is null || now - row.LastUsedAt > 60_000)
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE api_keys SET last_used_at = @now WHERE id = @id", new { now, id = row.Id }, cancellationToken: ct)).ConfigureAwait(false);
        }

        return row.ToKey();
    }

    private static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));


    private sealed class Row
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string Prefix { get; set; } = "";
        public string SecretHash { get; set; } = "";
        public string Scopes { get; set; } = "";
        public long RatePerMinute { get; set; }
        public long CreatedAt { get; set; }
        public long? LastUsedAt { get; set; }
        public long? RevokedAt { get; set; }

        public ApiKey ToKey() => new(Id, Name, Prefix, Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), (int)RatePerMinute,
            AudienceSql.Time(CreatedAt), AudienceSql.Time(LastUsedAt), AudienceSql.Time(RevokedAt));
    }
}
