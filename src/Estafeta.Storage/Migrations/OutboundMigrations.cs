namespace Estafeta.Storage;

internal static partial class SchemaMigrations
{
    /// <summary>Migrations of the outbound queue: delivery attempts, recipient states, events (100–199).</summary>
    private static readonly IReadOnlyList<Migration> OutboundMigrations =
    [
        new(100, "outbound delivery", """
            ALTER TABLE outbound_queue ADD COLUMN lease_owner TEXT NULL;
            ALTER TABLE outbound_queue ADD COLUMN lease_until BIGINT NULL;
            ALTER TABLE outbound_queue ADD COLUMN verp BIGINT NOT NULL DEFAULT 0;
            ALTER TABLE outbound_queue ADD COLUMN delay_notified BIGINT NOT NULL DEFAULT 0;
            ALTER TABLE outbound_recipients ADD COLUMN attempts BIGINT NOT NULL DEFAULT 0;
            ALTER TABLE outbound_recipients ADD COLUMN status TEXT NULL;
            ALTER TABLE outbound_recipients ADD COLUMN remote_mta TEXT NULL;
            ALTER TABLE outbound_recipients ADD COLUMN updated_at BIGINT NULL;
            ALTER TABLE outbound_recipients ADD COLUMN dsn_sent BIGINT NOT NULL DEFAULT 0;

            CREATE TABLE outbound_attempts (
                id {{id}},
                queue_id BIGINT NOT NULL REFERENCES outbound_queue (id) ON DELETE CASCADE,
                recipient TEXT NULL,
                at BIGINT NOT NULL,
                destination TEXT NOT NULL,
                mx_host TEXT NULL,
                mx_address TEXT NULL,
                tls TEXT NULL,
                outcome TEXT NOT NULL,
                reply TEXT NULL
            );
            CREATE INDEX outbound_attempts_queue ON outbound_attempts (queue_id);

            CREATE TABLE outbound_events (
                id {{id}},
                at BIGINT NOT NULL,
                kind TEXT NOT NULL,
                bounce_class TEXT NULL,
                queue_id BIGINT NULL,
                queued_at BIGINT NULL,
                recipient_id BIGINT NULL,
                address TEXT NOT NULL,
                sender TEXT NOT NULL,
                sending_domain TEXT NOT NULL,
                destination TEXT NOT NULL,
                message_id TEXT NULL,
                status TEXT NULL,
                detail TEXT NULL,
                source TEXT NOT NULL
            );
            CREATE INDEX outbound_events_address ON outbound_events (address, at);
            CREATE INDEX outbound_events_queue ON outbound_events (queue_id, recipient_id);
            CREATE INDEX outbound_events_domain ON outbound_events (sending_domain, kind, at);
            CREATE INDEX outbound_events_message ON outbound_events (message_id);

            CREATE TABLE outbound_routes (
                destination TEXT PRIMARY KEY,
                host TEXT NOT NULL,
                port BIGINT NOT NULL,
                tls_required BIGINT NOT NULL DEFAULT 0,
                auth_user TEXT NULL,
                auth_password TEXT NULL,
                created_at BIGINT NOT NULL
            );

            CREATE TABLE outbound_limits (
                pattern TEXT PRIMARY KEY,
                max_connections BIGINT NOT NULL,
                messages_per_minute BIGINT NOT NULL DEFAULT 0,
                messages_per_connection BIGINT NOT NULL DEFAULT 0
            );

            CREATE TABLE outbound_warmup (
                sending_domain TEXT PRIMARY KEY,
                started_at BIGINT NOT NULL,
                first_day_cap BIGINT NOT NULL,
                days BIGINT NOT NULL,
                final_cap BIGINT NOT NULL DEFAULT 0
            );

            CREATE TABLE outbound_settings (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );

            CREATE TABLE tls_report_counts (
                day TEXT NOT NULL,
                policy_domain TEXT NOT NULL,
                policy_type TEXT NOT NULL,
                policy_text TEXT NOT NULL,
                mx_host TEXT NOT NULL,
                result TEXT NOT NULL,
                sessions BIGINT NOT NULL,
                PRIMARY KEY (day, policy_domain, mx_host, result)
            );

            CREATE TABLE tls_reports_sent (
                day TEXT NOT NULL,
                policy_domain TEXT NOT NULL,
                sent_at BIGINT NOT NULL,
                PRIMARY KEY (day, policy_domain)
            );
            """),
    ];
}
