using Dapper;

namespace Estafeta.Storage;

/// <summary>The TLS reports (RFC 8460) received at the domains' TLS report addresses.</summary>
public sealed class TlsReportTable(Database db)
{
    /// <summary>Stores a report with its policies and failures in one transaction; false when the same submitter's
    /// report id was stored before (a re-sent report is not counted twice, also when two copies arrive at once).</summary>
    public async Task<bool> AddAsync(ReceivedTlsReport report, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO tls_reports_received (submitter, report_id, organization_name, contact_info, begin_at, end_at, received_at)
            VALUES (@Submitter, @ReportId, @OrganizationName, @ContactInfo, @begin, @end, @now)
            ON CONFLICT (submitter, report_id) DO NOTHING RETURNING id
            """,
            new
            {
                report.Submitter, report.ReportId, report.OrganizationName, report.ContactInfo,
                begin = report.Begin.ToUnixTimeMilliseconds(), end = report.End.ToUnixTimeMilliseconds(), now = db.NowMilliseconds(),
            }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (id is null)
        {
            await tx.RollbackAsync(ct).ConfigureAwait(false);
            return false;
        }
        foreach (var policy in report.Policies)
        {
            var policyId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO tls_report_policies (report_id, policy_type, policy_domain, policy_string, mx_hosts, successful_sessions, failed_sessions)
                VALUES (@id, @PolicyType, @PolicyDomain, @PolicyString, @MxHosts, @SuccessfulSessions, @FailedSessions) RETURNING id
                """,
                new { id, policy.PolicyType, policy.PolicyDomain, policy.PolicyString, policy.MxHosts, policy.SuccessfulSessions, policy.FailedSessions },
                tx, cancellationToken: ct)).ConfigureAwait(false);
            foreach (var f in policy.Failures)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO tls_report_failures (policy_id, result_type, sending_mta_ip, receiving_mx_hostname, receiving_mx_helo, receiving_ip,
                                                     failed_sessions, additional_information, failure_reason_code)
                    VALUES (@policyId, @ResultType, @SendingMtaIp, @ReceivingMxHostname, @ReceivingMxHelo, @ReceivingIp,
                            @FailedSessions, @AdditionalInformation, @FailureReasonCode)
                    """,
                    new { policyId, f.ResultType, f.SendingMtaIp, f.ReceivingMxHostname, f.ReceivingMxHelo, f.ReceivingIp, f.FailedSessions, f.AdditionalInformation, f.FailureReasonCode },
                    tx, cancellationToken: ct)).ConfigureAwait(false);
            }
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>The stored reports whose period ends at or after <paramref name="endingSince"/>, oldest first, each with
    /// its policies for <paramref name="policyDomain"/> (all policies when null; reports without one are left out).</summary>
    public async Task<IReadOnlyList<ReceivedTlsReport>> ListAsync(string? policyDomain = null, DateTimeOffset? endingSince = null, CancellationToken ct = default)
    {
        var filter = new { domain = policyDomain, since = endingSince?.ToUnixTimeMilliseconds() ?? long.MinValue };
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginReadAsync(connection, ct).ConfigureAwait(false);
        var failures = (await connection.QueryAsync<FailureRow>(new CommandDefinition(
            """
            SELECT f.policy_id AS PolicyId, f.result_type AS ResultType, f.sending_mta_ip AS SendingMtaIp, f.receiving_mx_hostname AS ReceivingMxHostname,
                   f.receiving_mx_helo AS ReceivingMxHelo, f.receiving_ip AS ReceivingIp, f.failed_sessions AS FailedSessions,
                   f.additional_information AS AdditionalInformation, f.failure_reason_code AS FailureReasonCode
            FROM tls_report_failures f JOIN tls_report_policies p ON p.id = f.policy_id JOIN tls_reports_received r ON r.id = p.report_id
            WHERE r.end_at >= @since AND (@domain IS NULL OR p.policy_domain = @domain) ORDER BY f.id
            """, filter, tx, cancellationToken: ct)).ConfigureAwait(false)).ToLookup(f => f.PolicyId);
        var policies = (await connection.QueryAsync<PolicyRow>(new CommandDefinition(
            """
            SELECT p.id AS Id, p.report_id AS ReportId, p.policy_type AS PolicyType, p.policy_domain AS PolicyDomain, p.policy_string AS PolicyString,
                   p.mx_hosts AS MxHosts, p.successful_sessions AS SuccessfulSessions, p.failed_sessions AS FailedSessions
            FROM tls_report_policies p JOIN tls_reports_received r ON r.id = p.report_id
            WHERE r.end_at >= @since AND (@domain IS NULL OR p.policy_domain = @domain) ORDER BY p.id
            """, filter, tx, cancellationToken: ct)).ConfigureAwait(false)).ToLookup(p => p.ReportId);
        var reports = await connection.QueryAsync<ReportRow>(new CommandDefinition(
            """
            SELECT r.id AS Id, r.submitter AS Submitter, r.report_id AS ReportId, r.organization_name AS OrganizationName, r.contact_info AS ContactInfo,
                   r.begin_at AS BeginAt, r.end_at AS EndAt
            FROM tls_reports_received r
            WHERE r.end_at >= @since
              AND (@domain IS NULL OR EXISTS (SELECT 1 FROM tls_report_policies p WHERE p.report_id = r.id AND p.policy_domain = @domain))
            ORDER BY r.begin_at, r.id
            """, filter, tx, cancellationToken: ct)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return [.. reports.Select(r => new ReceivedTlsReport(r.Submitter, r.ReportId, r.OrganizationName, r.ContactInfo, Rows.Time(r.BeginAt), Rows.Time(r.EndAt),
            [.. policies[r.Id].Select(p => new ReceivedTlsPolicy(p.PolicyType, p.PolicyDomain, p.PolicyString, p.MxHosts, p.SuccessfulSessions, p.FailedSessions,
                [.. failures[p.Id].Select(f => new ReceivedTlsFailure(f.ResultType, f.SendingMtaIp, f.ReceivingMxHostname, f.ReceivingMxHelo, f.ReceivingIp,
                    f.FailedSessions, f.AdditionalInformation, f.FailureReasonCode))]))]))];
    }

    internal sealed class ReportRow
    {
        public long Id { get; set; }
        public string Submitter { get; set; } = "";
        public string ReportId { get; set; } = "";
        public string OrganizationName { get; set; } = "";
        public string? ContactInfo { get; set; }
        public long BeginAt { get; set; }
        public long EndAt { get; set; }
    }

    internal sealed class PolicyRow
    {
        public long Id { get; set; }
        public long ReportId { get; set; }
        public string PolicyType { get; set; } = "";
        public string PolicyDomain { get; set; } = "";
        public string PolicyString { get; set; } = "";
        public string MxHosts { get; set; } = "";
        public long SuccessfulSessions { get; set; }
        public long FailedSessions { get; set; }
    }

    internal sealed class FailureRow
    {
        public long PolicyId { get; set; }
        public string ResultType { get; set; } = "";
        public string? SendingMtaIp { get; set; }
        public string? ReceivingMxHostname { get; set; }
        public string? ReceivingMxHelo { get; set; }
        public string? ReceivingIp { get; set; }
        public long FailedSessions { get; set; }
        public string? AdditionalInformation { get; set; }
        public string? FailureReasonCode { get; set; }
    }
}
