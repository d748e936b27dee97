using Dapper;

namespace Estafeta.Storage;

internal static partial class SchemaMigrations
{
    /// <summary>Migrations of the audience: contacts, lists, consent, suppression, segments (300–399).</summary>
    private static readonly IReadOnlyList<Migration> AudienceMigrations =
    [
        new(300, "audience", """
            CREATE TABLE contacts (
                id {{id}},
                email TEXT NOT NULL UNIQUE,
                name TEXT NULL,
                language TEXT NULL,
                time_zone TEXT NULL,
                validation TEXT NULL,
                validation_detail TEXT NULL,
                paused_until BIGINT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            CREATE INDEX contacts_created ON contacts (created_at);

            CREATE TABLE contact_fields (
                id {{id}},
                name TEXT NOT NULL UNIQUE,
                type TEXT NOT NULL,
                choices TEXT NULL,
                created_at BIGINT NOT NULL
            );

            CREATE TABLE contact_values (
                contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
                field_id BIGINT NOT NULL REFERENCES contact_fields (id) ON DELETE CASCADE,
                text_value TEXT NULL,
                number_value DOUBLE PRECISION NULL,
                date_value BIGINT NULL,
                PRIMARY KEY (contact_id, field_id)
            );
            CREATE INDEX contact_values_text ON contact_values (field_id, text_value);
            CREATE INDEX contact_values_number ON contact_values (field_id, number_value);
            CREATE INDEX contact_values_date ON contact_values (field_id, date_value);

            CREATE TABLE contact_tags (
                contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
                tag TEXT NOT NULL,
                PRIMARY KEY (contact_id, tag)
            );
            CREATE INDEX contact_tags_tag ON contact_tags (tag, contact_id);

            CREATE TABLE lists (
                id {{id}},
                name TEXT NOT NULL UNIQUE,
                description TEXT NOT NULL DEFAULT '',
                double_opt_in BIGINT NOT NULL DEFAULT 0,
                from_address TEXT NULL,
                consent_text TEXT NOT NULL DEFAULT '',
                created_at BIGINT NOT NULL
            );

            CREATE TABLE subscriptions (
                contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
                list_id BIGINT NOT NULL REFERENCES lists (id) ON DELETE CASCADE,
                status TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL,
                confirmation_sent_at BIGINT NULL,
                PRIMARY KEY (contact_id, list_id)
            );
            CREATE INDEX subscriptions_list ON subscriptions (list_id, status, contact_id);
            CREATE INDEX subscriptions_unconfirmed ON subscriptions (status, created_at);

            CREATE TABLE consent_records (
                id {{id}},
                contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
                list_id BIGINT NULL REFERENCES lists (id) ON DELETE SET NULL,
                status TEXT NOT NULL,
                source_kind TEXT NOT NULL,
                source TEXT NOT NULL,
                ip TEXT NULL,
                user_agent TEXT NULL,
                consent_text TEXT NULL,
                created_at BIGINT NOT NULL
            );
            CREATE INDEX consent_records_contact ON consent_records (contact_id, id);

            CREATE TABLE suppressions (
                id {{id}},
                email_hash TEXT NOT NULL UNIQUE,
                email TEXT NULL,
                reason TEXT NOT NULL,
                note TEXT NULL,
                created_at BIGINT NOT NULL
            );

            CREATE TABLE engagement_events (
                id {{id}},
                contact_id BIGINT NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
                kind TEXT NOT NULL,
                campaign TEXT NULL,
                occurred_at BIGINT NOT NULL
            );
            CREATE INDEX engagement_events_contact ON engagement_events (contact_id, kind, occurred_at);
            CREATE INDEX engagement_events_campaign ON engagement_events (campaign, kind, contact_id);

            CREATE TABLE segments (
                id {{id}},
                name TEXT NOT NULL UNIQUE,
                expression TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );

            CREATE TABLE import_jobs (
                id {{id}},
                list_id BIGINT NULL REFERENCES lists (id) ON DELETE SET NULL,
                file_name TEXT NOT NULL,
                file_hash TEXT NOT NULL,
                consent_source TEXT NOT NULL,
                state TEXT NOT NULL,
                rows_done BIGINT NOT NULL DEFAULT 0,
                inserted BIGINT NOT NULL DEFAULT 0,
                updated BIGINT NOT NULL DEFAULT 0,
                rejected BIGINT NOT NULL DEFAULT 0,
                suppressed BIGINT NOT NULL DEFAULT 0,
                warnings BIGINT NOT NULL DEFAULT 0,
                created_at BIGINT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            CREATE INDEX import_jobs_file ON import_jobs (file_hash, state);

            CREATE TABLE import_rows (
                job_id BIGINT NOT NULL REFERENCES import_jobs (id) ON DELETE CASCADE,
                row_number BIGINT NOT NULL,
                email TEXT NULL,
                outcome TEXT NOT NULL,
                reason TEXT NOT NULL,
                PRIMARY KEY (job_id, row_number)
            );

            CREATE TABLE api_keys (
                id {{id}},
                name TEXT NOT NULL,
                prefix TEXT NOT NULL UNIQUE,
                secret_hash TEXT NOT NULL,
                scopes TEXT NOT NULL,
                rate_per_minute BIGINT NOT NULL,
                created_at BIGINT NOT NULL,
                last_used_at BIGINT NULL,
                revoked_at BIGINT NULL
            );

            CREATE TABLE idempotency_keys (
                api_key_id BIGINT NOT NULL REFERENCES api_keys (id) ON DELETE CASCADE,
                idempotency_key TEXT NOT NULL,
                request_hash TEXT NOT NULL,
                status BIGINT NOT NULL,
                body TEXT NOT NULL,
                created_at BIGINT NOT NULL,
                PRIMARY KEY (api_key_id, idempotency_key)
            );
            """),
        new(330, "engagement totals of erased contacts", """
            CREATE TABLE engagement_erased (
                campaign TEXT NOT NULL,
                kind TEXT NOT NULL,
                day BIGINT NOT NULL,
                events BIGINT NOT NULL,
                PRIMARY KEY (campaign, kind, day)
            );
            """),
        new(331, "audience positions in other logs", """
            CREATE TABLE audience_positions (
                name TEXT PRIMARY KEY,
                position BIGINT NOT NULL
            );
            """),
        new(350, "audience: lean value indexes for bulk imports; engagement by kind and time for segments", """
            DROP INDEX contact_values_text;
            DROP INDEX contact_values_number;
            DROP INDEX contact_values_date;
            CREATE INDEX contact_values_text ON contact_values (field_id, text_value) WHERE text_value IS NOT NULL;
            CREATE INDEX contact_values_number ON contact_values (field_id, number_value) WHERE number_value IS NOT NULL;
            CREATE INDEX contact_values_date ON contact_values (field_id, date_value) WHERE date_value IS NOT NULL;
            CREATE INDEX engagement_events_kind_time ON engagement_events (kind, occurred_at, contact_id);
            """),
        // Custom field values move from one contact_values row per value (three indexes and two foreign keys each)
        // to one JSON object on the contact's own row, keyed by field name: text and choices as strings, numbers
        // as numbers, booleans as true/false, dates as UTC midnight Unix milliseconds.
        new(351, "audience: custom field values as one JSON object on the contact", """
            ALTER TABLE contacts ADD COLUMN fields TEXT NULL;
            UPDATE contacts SET fields = (
                SELECT json_group_object(f.name, json(CASE f.type
                    WHEN 'number' THEN CAST(v.number_value AS TEXT)
                    WHEN 'boolean' THEN CASE WHEN v.number_value <> 0 THEN 'true' ELSE 'false' END
                    WHEN 'date' THEN CAST(v.date_value AS TEXT)
                    ELSE json_quote(v.text_value) END))
                FROM contact_values v JOIN contact_fields f ON f.id = v.field_id
                WHERE v.contact_id = contacts.id)
            WHERE id IN (SELECT contact_id FROM contact_values);
            DROP TABLE contact_values;
            """)
        {
            PostgreSql = """
                ALTER TABLE contacts ADD COLUMN fields JSONB NULL;
                UPDATE contacts c SET fields = x.fields
                FROM (
                    SELECT v.contact_id, jsonb_object_agg(f.name, CASE f.type
                        WHEN 'number' THEN to_jsonb(v.number_value)
                        WHEN 'boolean' THEN to_jsonb(v.number_value <> 0)
                        WHEN 'date' THEN to_jsonb(v.date_value)
                        ELSE to_jsonb(v.text_value) END) AS fields
                    FROM contact_values v JOIN contact_fields f ON f.id = v.field_id
                    GROUP BY v.contact_id) x
                WHERE x.contact_id = c.id;
                DROP TABLE contact_values;
                """,
        },
        // Expiry looks for unconfirmed subscriptions only; every other subscription (an import writes thousands) need
        // not be in that index.
        new(352, "audience: only unconfirmed subscriptions in the expiry index", """
            DROP INDEX subscriptions_unconfirmed;
            CREATE INDEX subscriptions_unconfirmed ON subscriptions (created_at) WHERE status = 'unconfirmed';
            """),
        // Segments match tags ignoring case (lower(tag) = lower(@tag)): the index finds them, and its statistics
        // tell PostgreSQL's planner how many contacts a tag has (it guesses 0.5% for an expression it knows nothing of).
        new(360, "segments: tags by their lowercase form", """
            CREATE INDEX contact_tags_lower ON contact_tags (lower(tag), contact_id);
            """),
        // An import writes one consent record per job and list (the operator's stated source, the file, the list's
        // consent text, the time) instead of one per new subscriber: the record has no contact, and each subscription
        // the import creates names it in consent_record_id. That column has no foreign key (a check per subscribed
        // row is what this saves): records without a contact are never deleted (only a contact's own records go, with
        // the contact), and a subscription that names one is turned into the contact's own copy of the record before
        // it is deleted (with its list, or when its confirmation expires). The job keeps its record for a resume.
        // SQLite cannot drop a NOT NULL constraint in place, so its table is rebuilt.
        new(370, "audience: one consent record per import job and list, named by the subscriptions it created", """
            CREATE TABLE consent_records_370 (
                id {{id}},
                contact_id BIGINT NULL REFERENCES contacts (id) ON DELETE CASCADE,
                list_id BIGINT NULL REFERENCES lists (id) ON DELETE SET NULL,
                status TEXT NOT NULL,
                source_kind TEXT NOT NULL,
                source TEXT NOT NULL,
                ip TEXT NULL,
                user_agent TEXT NULL,
                consent_text TEXT NULL,
                created_at BIGINT NOT NULL
            );
            INSERT INTO consent_records_370 (id, contact_id, list_id, status, source_kind, source, ip, user_agent, consent_text, created_at)
            SELECT id, contact_id, list_id, status, source_kind, source, ip, user_agent, consent_text, created_at FROM consent_records;
            DROP TABLE consent_records;
            ALTER TABLE consent_records_370 RENAME TO consent_records;
            CREATE INDEX consent_records_contact ON consent_records (contact_id, id);
            ALTER TABLE subscriptions ADD COLUMN consent_record_id BIGINT NULL;
            ALTER TABLE import_jobs ADD COLUMN consent_record_id BIGINT NULL;
            """)
        {
            PostgreSql = """
                ALTER TABLE consent_records ALTER COLUMN contact_id DROP NOT NULL;
                ALTER TABLE subscriptions ADD COLUMN consent_record_id BIGINT NULL;
                ALTER TABLE import_jobs ADD COLUMN consent_record_id BIGINT NULL;
                """,
        },
        // PostgreSQL checks a foreign key once per inserted row, each check a query of its own that locks the parent
        // row (FOR KEY SHARE): an import subscribing 50,000 contacts ran 100,000 of them, 50,000 on the one list row,
        // about half the time of the subscriptions' insert. The two foreign keys of subscriptions become triggers
        // that do the same once per statement: after an insert, the parents the new rows name are locked FOR KEY
        // SHARE in one query (each parent once) and a missing one fails the statement with foreign_key_violation;
        // deleting contacts or lists deletes their subscriptions (the cascade), truncating them empties it, and
        // neither the ids of contacts and lists nor the keys of a subscription can change. The lock makes it as safe
        // as the foreign key for writers in READ COMMITTED (every write of this program): a deletion waits for the
        // inserting transaction, then deletes what it committed; an insert that waited for a deletion finds the
        // parent gone and fails. SQLite keeps its foreign keys: there a check is an in-process index lookup.
        new(371, "audience: subscriptions' parents checked once per statement on PostgreSQL", "SELECT 1")
        {
            PostgreSql = """
                ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_contact_id_fkey;
                ALTER TABLE subscriptions DROP CONSTRAINT subscriptions_list_id_fkey;

                CREATE FUNCTION subscriptions_check_parents() RETURNS trigger LANGUAGE plpgsql AS $$
                DECLARE
                    missing bigint;
                BEGIN
                    WITH wanted AS (SELECT DISTINCT list_id AS id FROM added),
                         locked AS (SELECT l.id FROM lists l WHERE l.id = ANY (ARRAY(SELECT id FROM wanted)) FOR KEY SHARE OF l)
                    SELECT (SELECT count(*) FROM wanted) - (SELECT count(*) FROM locked) INTO missing;
                    IF missing > 0 THEN
                        RAISE EXCEPTION 'insert on table "subscriptions" names a list that does not exist'
                            USING ERRCODE = 'foreign_key_violation', TABLE = 'subscriptions', CONSTRAINT = 'subscriptions_list_id_fkey';
                    END IF;
                    WITH wanted AS (SELECT DISTINCT contact_id AS id FROM added),
                         locked AS (SELECT c.id FROM contacts c WHERE c.id = ANY (ARRAY(SELECT id FROM wanted)) FOR KEY SHARE OF c)
                    SELECT (SELECT count(*) FROM wanted) - (SELECT count(*) FROM locked) INTO missing;
                    IF missing > 0 THEN
                        RAISE EXCEPTION 'insert on table "subscriptions" names a contact that does not exist'
                            USING ERRCODE = 'foreign_key_violation', TABLE = 'subscriptions', CONSTRAINT = 'subscriptions_contact_id_fkey';
                    END IF;
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER subscriptions_parents AFTER INSERT ON subscriptions
                    REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION subscriptions_check_parents();

                CREATE FUNCTION subscriptions_keys_fixed() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    RAISE EXCEPTION 'the % of a row of "%" cannot change', CASE WHEN TG_TABLE_NAME = 'subscriptions' THEN 'contact and list' ELSE 'id' END, TG_TABLE_NAME
                        USING ERRCODE = 'foreign_key_violation';
                END
                $$;
                CREATE TRIGGER subscriptions_keys BEFORE UPDATE OF contact_id, list_id ON subscriptions FOR EACH ROW
                    WHEN (OLD.contact_id IS DISTINCT FROM NEW.contact_id OR OLD.list_id IS DISTINCT FROM NEW.list_id)
                    EXECUTE FUNCTION subscriptions_keys_fixed();
                CREATE TRIGGER contacts_id_fixed BEFORE UPDATE OF id ON contacts FOR EACH ROW
                    WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION subscriptions_keys_fixed();
                CREATE TRIGGER lists_id_fixed BEFORE UPDATE OF id ON lists FOR EACH ROW
                    WHEN (OLD.id IS DISTINCT FROM NEW.id) EXECUTE FUNCTION subscriptions_keys_fixed();

                CREATE FUNCTION subscriptions_of_deleted_contacts() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM subscriptions WHERE contact_id = ANY (ARRAY(SELECT id FROM gone));
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER contacts_subscriptions AFTER DELETE ON contacts
                    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION subscriptions_of_deleted_contacts();

                CREATE FUNCTION subscriptions_of_deleted_lists() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    DELETE FROM subscriptions WHERE list_id = ANY (ARRAY(SELECT id FROM gone));
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER lists_subscriptions AFTER DELETE ON lists
                    REFERENCING OLD TABLE AS gone FOR EACH STATEMENT EXECUTE FUNCTION subscriptions_of_deleted_lists();

                CREATE FUNCTION subscriptions_truncated_parent() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    TRUNCATE subscriptions;
                    RETURN NULL;
                END
                $$;
                CREATE TRIGGER contacts_truncate_subscriptions AFTER TRUNCATE ON contacts FOR EACH STATEMENT EXECUTE FUNCTION subscriptions_truncated_parent();
                CREATE TRIGGER lists_truncate_subscriptions AFTER TRUNCATE ON lists FOR EACH STATEMENT EXECUTE FUNCTION subscriptions_truncated_parent();
                """,
        },
        // Tags are compared by a key computed in .NET (CaseFold: NFC, invariant lowercase). Segments matched them with
        // lower(tag) = lower(@tag), which folds ASCII only on SQLite (and follows the database's locale on PostgreSQL):
        // tag("españa") missed "ESPAÑA", tag("élite") missed "ÉLITE". The key is filled here for the tags already stored.
        new(380, "audience: tags compared by a Unicode case-folded key", "ALTER TABLE contact_tags ADD COLUMN tag_key TEXT NULL")
        {
            Then = BackfillTagKeysAsync,
        },
        // One tag per key and contact (the first spelling, in code point order, is kept); the key's index replaces the
        // tag's and lower(tag)'s.
        new(381, "audience: one tag per contact and key", TagKeyIndexes(""))
        {
            PostgreSql = TagKeyIndexes(" COLLATE \"C\""),
        },
        // SQLite gives a new row one past the largest id in the table, so the id of the newest contact (or list), once
        // erased, went to the next one, and links already mailed to the erased person (unsubscribe, preference centre:
        // they name the contact by id) reached the newcomer. Deletions now leave their id in id_floors, and inserts on
        // SQLite number from past it (AudienceSql.NewId). PostgreSQL's identity never gives a value twice.
        new(382, "audience: ids of deleted contacts and lists are never given again on SQLite", """
            CREATE TABLE id_floors (name TEXT PRIMARY KEY, floor BIGINT NOT NULL);
            CREATE TRIGGER contacts_id_floor AFTER DELETE ON contacts BEGIN
                INSERT OR REPLACE INTO id_floors (name, floor)
                VALUES ('contacts', max(OLD.id, coalesce((SELECT floor FROM id_floors WHERE name = 'contacts'), 0)));
            END;
            CREATE TRIGGER lists_id_floor AFTER DELETE ON lists BEGIN
                INSERT OR REPLACE INTO id_floors (name, floor)
                VALUES ('lists', max(OLD.id, coalesce((SELECT floor FROM id_floors WHERE name = 'lists'), 0)));
            END;
            """)
        {
            PostgreSql = "SELECT 1",
        },
        new(383, "an idempotent answer's content type and headers, replayed with it", """
            ALTER TABLE idempotency_keys ADD COLUMN content_type TEXT NOT NULL DEFAULT '';
            ALTER TABLE idempotency_keys ADD COLUMN headers TEXT NOT NULL DEFAULT '';
            """),
    ];

    /// <summary>The tag kept of those alike is the first in code point order on both backends (PostgreSQL's default
    /// collation would sort by the locale's rules).</summary>
    private static string TagKeyIndexes(string binary) => $"""
        DELETE FROM contact_tags WHERE EXISTS (
            SELECT 1 FROM contact_tags o WHERE o.contact_id = contact_tags.contact_id AND o.tag_key = contact_tags.tag_key AND o.tag{binary} < contact_tags.tag{binary});
        CREATE UNIQUE INDEX contact_tags_key ON contact_tags (contact_id, tag_key);
        CREATE INDEX contact_tags_by_key ON contact_tags (tag_key, contact_id);
        DROP INDEX contact_tags_lower;
        DROP INDEX contact_tags_tag;
        """;

    private static async Task BackfillTagKeysAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, CancellationToken ct)
    {
        var tags = (await connection.QueryAsync<string>(new CommandDefinition("SELECT DISTINCT tag FROM contact_tags", transaction: tx, cancellationToken: ct)).ConfigureAwait(false)).AsList();
        foreach (var tag in tags)
        {
            await connection.ExecuteAsync(new CommandDefinition("UPDATE contact_tags SET tag_key = @key WHERE tag = @tag",
                new { key = CaseFold.OfStored(tag), tag }, tx, commandTimeout: 0, cancellationToken: ct)).ConfigureAwait(false);
        }
    }
}
