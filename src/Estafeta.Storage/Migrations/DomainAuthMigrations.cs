namespace Estafeta.Storage;

internal static partial class SchemaMigrations
{
    /// <summary>Migrations of the sending domains: DKIM keys, DNS checks, DMARC reports (200–299).</summary>
    private static readonly IReadOnlyList<Migration> DomainAuthMigrations =
    [
        new(200, "domain authentication", """
            CREATE TABLE dkim_keys (
                id {{id}},
                domain TEXT NOT NULL,
                selector TEXT NOT NULL,
                algorithm TEXT NOT NULL,
                state TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                activated_at BIGINT NULL,
                retired_at BIGINT NULL,
                published_seen_at BIGINT NULL,
                UNIQUE (domain, selector)
            );

            CREATE TABLE domain_auth_settings (
                domain TEXT PRIMARY KEY,
                sending_ips TEXT NOT NULL DEFAULT '',
                dmarc_none_since BIGINT NULL
            );

            CREATE TABLE dmarc_outcomes (
                id {{id}},
                received_at BIGINT NOT NULL,
                policy_domain TEXT NOT NULL,
                policy_record TEXT NOT NULL,
                header_from TEXT NOT NULL,
                source_ip TEXT NOT NULL,
                envelope_from TEXT NULL,
                envelope_to TEXT NULL,
                spf_result TEXT NOT NULL,
                spf_domain TEXT NULL,
                spf_aligned BIGINT NOT NULL,
                dkim_aligned BIGINT NOT NULL,
                dkim_results TEXT NOT NULL,
                dmarc TEXT NOT NULL,
                disposition TEXT NOT NULL,
                reasons TEXT NOT NULL
            );
            CREATE INDEX dmarc_outcomes_time ON dmarc_outcomes (received_at);

            CREATE TABLE dmarc_reports_sent (
                id {{id}},
                policy_domain TEXT NOT NULL,
                day TEXT NOT NULL,
                report_id TEXT NOT NULL,
                messages BIGINT NOT NULL,
                destinations TEXT NOT NULL,
                sent_at BIGINT NOT NULL,
                UNIQUE (policy_domain, day)
            );

            CREATE TABLE dmarc_reports_received (
                id {{id}},
                domain TEXT NOT NULL,
                org_name TEXT NOT NULL,
                report_id TEXT NOT NULL,
                begin_at BIGINT NOT NULL,
                end_at BIGINT NOT NULL,
                received_at BIGINT NOT NULL,
                UNIQUE (org_name, report_id)
            );

            CREATE TABLE dmarc_report_rows (
                id {{id}},
                report_id BIGINT NOT NULL REFERENCES dmarc_reports_received (id) ON DELETE CASCADE,
                source_ip TEXT NOT NULL,
                message_count BIGINT NOT NULL,
                disposition TEXT NOT NULL,
                dkim_evaluated TEXT NULL,
                spf_evaluated TEXT NULL,
                header_from TEXT NOT NULL
            );
            CREATE INDEX dmarc_report_rows_report ON dmarc_report_rows (report_id);
            """),
    ];
}
