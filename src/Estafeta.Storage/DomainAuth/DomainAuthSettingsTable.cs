using System.Net;
using Dapper;

namespace Estafeta.Storage;

/// <summary>Per-domain settings of mail authentication (product settings live in the database): the
/// addresses this server sends from, which the SPF record must authorise, and since when the
/// domain's DMARC record has said p=none (for the "weak for long" advice of domain check).</summary>
public sealed class DomainAuthSettingsTable(Database db)
{
    public async Task<IReadOnlyList<IPAddress>> SendingAddressesAsync(string domain, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var text = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT sending_ips FROM domain_auth_settings WHERE domain = @domain", new { domain }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. (text ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(IPAddress.Parse)];
    }

    /// <summary>Replaces the sending addresses (an empty list: derive them from the host name again).</summary>
    public async Task SetSendingAddressesAsync(string domain, IReadOnlyList<IPAddress> addresses, CancellationToken ct = default)
    {
        var text = string.Join(' ', addresses.Select(a => a.ToString()).Distinct(StringComparer.Ordinal));
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO domain_auth_settings (domain, sending_ips) VALUES (@domain, @text)
            ON CONFLICT (domain) DO UPDATE SET sending_ips = excluded.sending_ips
            """, new { domain, text }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>When DMARC p=none was first seen for the domain without interruption; null when it was not.</summary>
    public async Task<DateTimeOffset?> DmarcNoneSinceAsync(string domain, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var since = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT dmarc_none_since FROM domain_auth_settings WHERE domain = @domain", new { domain }, cancellationToken: ct)).ConfigureAwait(false);
        return since is { } s ? Rows.Time(s) : null;
    }

    /// <summary>Records what a check saw: p=none keeps the first time it was seen, anything else clears it.</summary>
    public async Task ObserveDmarcNoneAsync(string domain, bool policyIsNone, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO domain_auth_settings (domain, dmarc_none_since) VALUES (@domain, @since)
            ON CONFLICT (domain) DO UPDATE SET dmarc_none_since =
                CASE WHEN @none = 1 THEN COALESCE(domain_auth_settings.dmarc_none_since, excluded.dmarc_none_since) ELSE NULL END
            """, new { domain, since = policyIsNone ? db.NowMilliseconds() : (long?)null, none = policyIsNone ? 1L : 0L }, cancellationToken: ct)).ConfigureAwait(false);
    }
}
