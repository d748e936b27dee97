namespace Estafeta.Storage;

/// <summary>
/// The schema, as an append-only list. Never edit an applied migration; add the next number.
/// Conventions: UTC timestamps as BIGINT Unix milliseconds, booleans as BIGINT 0/1, addresses in canonical form
/// (see <see cref="MailAddressCanonical"/>), message files referenced by their lowercase hex SHA-256.
/// </summary>
internal static partial class SchemaMigrations
{
    /// <summary>Every migration, in version order. Each area of the product keeps its own list in its own
    /// file and its own range of version numbers: mail store 1–99 (here), outbound queue 100–199
    /// (OutboundMigrations.cs), sending domains and mail authentication 200–299 (DomainAuthMigrations.cs),
    /// audience 300–399 (AudienceMigrations.cs).</summary>
    public static IReadOnlyList<Migration> All => AllInOrder.Value;

    // Lazy: the areas' lists are static fields of other files, initialised in no guaranteed order.
    private static readonly Lazy<IReadOnlyList<Migration>> AllInOrder = new(() =>
        new[] { MailStore!, OutboundMigrations!, DomainAuthMigrations!, AudienceMigrations! }
            .SelectMany(a => a).OrderBy(m => m.Version).ToList());

    private static readonly IReadOnlyList<Migration> MailStore =
    [
        new(1, "mail store", """
            CREATE TABLE domains (
                id {{id}},
                name TEXT NOT NULL UNIQUE,
                catch_all TEXT NULL,
                created_at BIGINT NOT NULL
            );

            CREATE TABLE accounts (
                id {{id}},
                domain_id BIGINT NOT NULL REFERENCES domains (id),
                address TEXT NOT NULL UNIQUE,
                password_hash TEXT NOT NULL,
                quota_bytes BIGINT NOT NULL DEFAULT 0,
                used_bytes BIGINT NOT NULL DEFAULT 0,
                last_uid_validity BIGINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL
            );
            CREATE INDEX accounts_domain ON accounts (domain_id);

            CREATE TABLE aliases (
                id {{id}},
                domain_id BIGINT NOT NULL REFERENCES domains (id) ON DELETE CASCADE,
                address TEXT NOT NULL,
                target TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                UNIQUE (address, target)
            );
            CREATE INDEX aliases_domain ON aliases (domain_id);

            CREATE TABLE mailboxes (
                id {{id}},
                account_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
                name TEXT NOT NULL,
                special_use TEXT NULL,
                uid_validity BIGINT NOT NULL,
                uid_next BIGINT NOT NULL DEFAULT 1,
                highest_modseq BIGINT NOT NULL DEFAULT 1,
                subscribed BIGINT NOT NULL DEFAULT 1,
                created_at BIGINT NOT NULL,
                UNIQUE (account_id, name)
            );

            CREATE TABLE messages (
                id {{id}},
                mailbox_id BIGINT NOT NULL REFERENCES mailboxes (id) ON DELETE CASCADE,
                uid BIGINT NOT NULL,
                modseq BIGINT NOT NULL,
                blob_hash TEXT NOT NULL,
                size BIGINT NOT NULL,
                internal_date BIGINT NOT NULL,
                flags BIGINT NOT NULL DEFAULT 0,
                keywords TEXT NOT NULL DEFAULT '',
                env_date TEXT NULL,
                env_subject TEXT NULL,
                env_from TEXT NULL,
                env_sender TEXT NULL,
                env_reply_to TEXT NULL,
                env_to TEXT NULL,
                env_cc TEXT NULL,
                env_bcc TEXT NULL,
                env_in_reply_to TEXT NULL,
                env_message_id TEXT NULL,
                UNIQUE (mailbox_id, uid)
            );
            CREATE INDEX messages_blob ON messages (blob_hash);

            CREATE TABLE outbound_queue (
                id {{id}},
                blob_hash TEXT NOT NULL,
                size BIGINT NOT NULL,
                envelope_sender TEXT NOT NULL,
                account_id BIGINT NULL REFERENCES accounts (id) ON DELETE SET NULL,
                dsn_ret TEXT NULL,
                dsn_envid TEXT NULL,
                state TEXT NOT NULL,
                attempts BIGINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                next_attempt_at BIGINT NOT NULL,
                last_error TEXT NULL
            );
            CREATE INDEX outbound_queue_blob ON outbound_queue (blob_hash);
            CREATE INDEX outbound_queue_due ON outbound_queue (state, next_attempt_at);

            CREATE TABLE outbound_recipients (
                id {{id}},
                queue_id BIGINT NOT NULL REFERENCES outbound_queue (id) ON DELETE CASCADE,
                address TEXT NOT NULL,
                state TEXT NOT NULL,
                dsn_notify TEXT NULL,
                dsn_orcpt TEXT NULL,
                last_error TEXT NULL
            );
            CREATE INDEX outbound_recipients_queue ON outbound_recipients (queue_id);
            """),
        // The expunge log answers IMAP VANISHED (RFC 7162): every expunge, move and mailbox delete records the
        // UIDs it removed with the modseq it took. No foreign key: a deleted mailbox's rows outlive it, so sessions
        // that had it open learn that every message vanished; a mailbox created with a reused id (SQLite hands out
        // the largest rowid again) clears them first.
        new(2, "expunge log and changes by modseq", """
            CREATE TABLE expunged_messages (
                mailbox_id BIGINT NOT NULL,
                uid BIGINT NOT NULL,
                modseq BIGINT NOT NULL,
                PRIMARY KEY (mailbox_id, uid)
            );
            CREATE INDEX expunged_messages_modseq ON expunged_messages (mailbox_id, modseq);

            CREATE INDEX messages_modseq ON messages (mailbox_id, modseq);
            """),

        // IMAP \Recent (RFC 3501 §2.3.2): the highest UID already handed to a session as recent. A session that
        // selects the mailbox, or learns of new messages while it has it selected, claims the UIDs above it by
        // raising it. The messages present when this column arrives are not recent to anyone.
        new(3, "recent messages per mailbox", """
            ALTER TABLE mailboxes ADD COLUMN recent_uid BIGINT NOT NULL DEFAULT 0;
            UPDATE mailboxes SET recent_uid = uid_next - 1;
            """),

        // The spam score of mail received by the MX and its reasons, one per line, as X-Estafeta-Spam also
        // states them in the message: NULL for mail that was not scored (submitted, appended over IMAP).
        new(4, "spam score with the message", """
            ALTER TABLE messages ADD COLUMN spam_score DOUBLE PRECISION NULL;
            ALTER TABLE messages ADD COLUMN spam_reasons TEXT NULL;
            """),
    ];
}
