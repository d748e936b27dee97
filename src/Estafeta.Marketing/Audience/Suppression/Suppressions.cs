using System.Data.Common;
using System.Security.Cryptography;
using System.Text;
using Dapper;

namespace Estafeta.Marketing.Audience;

/// <summary>Lookups on the suppression list inside a caller's transaction. Entries are found by the SHA-256 of the canonical address.</summary>
internal static class Suppressions
{
    /// <summary>Lowercase hex SHA-256 of the canonical address: what an erased contact leaves behind.</summary>
    public static string Hash(string canonicalAddress) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalAddress)));

    public static async Task<SuppressionReason?> FindReasonAsync(DbConnection connection, DbTransaction? tx, string canonicalAddress, CancellationToken ct)
    {
        var reason = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT reason FROM suppressions WHERE email_hash = @hash", new { hash = Hash(canonicalAddress) }, tx, cancellationToken: ct)).ConfigureAwait(false);
        return reason is null ? null : SuppressionReasons.Parse(reason);
    }
}
