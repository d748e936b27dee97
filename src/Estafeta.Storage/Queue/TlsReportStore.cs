using Dapper;

namespace Estafeta.Storage;

/// <summary>One line of a TLS report (RFC 8460): sessions to one MX of a policy domain on one UTC day with one
/// result ("success" or a failure type such as "starttls-not-supported").</summary>
public sealed record TlsSessionCount(string Day, string PolicyDomain, string PolicyType, string PolicyText, string MxHost, string Result, long Sessions);

/// <summary>The counts behind the daily TLS reports, and which reports went out.</summary>
public sealed class TlsReportStore(Database db)
{
    public async Task AddAsync(string day, string policyDomain, string policyType, string policyText, string mxHost, string result, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO tls_report_counts (day, policy_domain, policy_type, policy_text, mx_host, result, sessions)
            VALUES (@day, @policyDomain, @policyType, @policyText, @mxHost, @result, 1)
            ON CONFLICT (day, policy_domain, mx_host, result) DO UPDATE SET sessions = tls_report_counts.sessions + 1,
                policy_type = @policyType, policy_text = @policyText
            """,
            new { day, policyDomain, policyType, policyText, mxHost, result }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Counts of days before <paramref name="beforeDay"/> whose report was not sent yet.</summary>
    public async Task<IReadOnlyList<TlsSessionCount>> PendingAsync(string beforeDay, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Day, string Domain, string Type, string Text, string Mx, string Result, long Sessions)>(new CommandDefinition(
            """
            SELECT c.day, c.policy_domain, c.policy_type, c.policy_text, c.mx_host, c.result, c.sessions
            FROM tls_report_counts c
            WHERE c.day < @beforeDay
              AND NOT EXISTS (SELECT 1 FROM tls_reports_sent s WHERE s.day = c.day AND s.policy_domain = c.policy_domain)
            ORDER BY c.day, c.policy_domain, c.mx_host, c.result
            """,
            new { beforeDay }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => new TlsSessionCount(r.Day, r.Domain, r.Type, r.Text, r.Mx, r.Result, r.Sessions))];
    }

    public async Task MarkSentAsync(string day, string policyDomain, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO tls_reports_sent (day, policy_domain, sent_at) VALUES (@day, @policyDomain, @now) ON CONFLICT (day, policy_domain) DO NOTHING",
            new { day, policyDomain, now = db.NowMilliseconds() }, cancellationToken: ct)).ConfigureAwait(false);
    }
}
