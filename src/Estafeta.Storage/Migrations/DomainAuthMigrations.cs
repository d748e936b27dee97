namespace Estafeta.Storage;

internal static partial class SchemaMigrations
{
    /// <summary>Migrations of the sending domains: DKIM keys, DNS checks, DMARC and TLS reports (200–299).</summary>
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
        new(210, "tls reports received", """
            CREATE TABLE tls_reports_received (
                id {{id}},
                submitter TEXT NOT NULL,
                report_id TEXT NOT NULL,
                organization_name TEXT NOT NULL,
                contact_info TEXT NULL,
                begin_at BIGINT NOT NULL,
                end_at BIGINT NOT NULL,
                received_at BIGINT NOT NULL,
                UNIQUE (submitter, report_id)
            );
            CREATE INDEX tls_reports_received_end ON tls_reports_received (end_at);

            CREATE TABLE tls_report_policies (
                id {{id}},
                report_id BIGINT NOT NULL REFERENCES tls_reports_received (id) ON DELETE CASCADE,
                policy_type TEXT NOT NULL,
                policy_domain TEXT NOT NULL,
                policy_string TEXT NOT NULL,
                mx_hosts TEXT NOT NULL,
                successful_sessions BIGINT NOT NULL,
                failed_sessions BIGINT NOT NULL
            );
            CREATE INDEX tls_report_policies_report ON tls_report_policies (report_id);
            CREATE INDEX tls_report_policies_domain ON tls_report_policies (policy_domain);

            CREATE TABLE tls_report_failures (
                id {{id}},
                policy_id BIGINT NOT NULL REFERENCES tls_report_policies (id) ON DELETE CASCADE,
                result_type TEXT NOT NULL,
                sending_mta_ip TEXT NULL,
                receiving_mx_hostname TEXT NULL,
                receiving_mx_helo TEXT NULL,
                receiving_ip TEXT NULL,
                failed_sessions BIGINT NOT NULL,
                additional_information TEXT NULL,
                failure_reason_code TEXT NULL
            );
            CREATE INDEX tls_report_failures_policy ON tls_report_failures (policy_id);
            """),
    ];
}
