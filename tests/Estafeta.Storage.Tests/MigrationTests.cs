using Dapper;

namespace Estafeta.Storage.Tests;

public abstract class MigrationTests(StorageBackend backend) : StorageTests(backend)
{
    [Fact]
    public async Task Migrations_are_recorded_and_running_them_again_applies_nothing()
    {
        var applied = await Db.AppliedMigrationsAsync();
        Assert.Equal([.. SchemaMigrations.All.Select(m => m.Version)], applied);

        Assert.Equal(0, await Db.MigrateAsync());
        Assert.Equal(0, await Db.MigrateAsync());
        Assert.Equal(applied, await Db.AppliedMigrationsAsync());
    }

    [Fact]
    public async Task Fresh_database_gets_every_migration_exactly_once_even_when_two_processes_migrate_at_once()
    {
        var (first, connectionString, dataDir) = await Backend.CreateEmptyAsync();
        await using var second = Database.Create(dataDir, connectionString);

        var counts = await Task.WhenAll(first.MigrateAsync(), second.MigrateAsync());

        Assert.Equal(SchemaMigrations.All.Count, counts.Sum());
        await using var connection = await first.OpenAsync();
        var rows = await connection.ExecuteScalarAsync<long>("SELECT COUNT(*) FROM schema_migrations");
        Assert.Equal(SchemaMigrations.All.Count, rows);
        Assert.Equal(0, await first.MigrateAsync());
    }

    [Fact]
    public async Task Migrated_schema_has_the_mail_store_tables()
    {
        await using var connection = await Db.OpenAsync();
        foreach (var table in new[] { "domains", "accounts", "aliases", "mailboxes", "messages", "outbound_queue", "outbound_recipients" })
        {
            Assert.Equal(0L, await connection.ExecuteScalarAsync<long>($"SELECT COUNT(*) FROM {table} WHERE 1 = 0"));
        }
    }

    [Fact]
    public async Task Custom_field_values_stored_one_row_each_move_to_the_contact_as_one_json_object()
    {
        var (db, _, _) = await Backend.CreateEmptyAsync();
        await using (var connection = await db.OpenAsync())
        {
            await MigrateBeforeAsync(db, connection, 351);

            await connection.ExecuteAsync("""
                INSERT INTO contacts (id, email, created_at, updated_at) VALUES (1, 'ana@ejemplo.es', 0, 0), (2, 'bea@ejemplo.es', 0, 0), (3, 'eva@ejemplo.es', 0, 0);
                INSERT INTO contact_fields (id, name, type, created_at) VALUES (1, 'país', 'text', 0), (2, 'edad', 'number', 0), (3, 'vip', 'boolean', 0),
                    (4, 'alta', 'date', 0), (5, 'plan', 'choice', 0);
                INSERT INTO contact_values (contact_id, field_id, text_value, number_value, date_value) VALUES
                    (1, 1, 'España "sur"', NULL, NULL), (1, 2, NULL, 41.5, NULL), (1, 3, NULL, 1, NULL), (1, 4, NULL, NULL, 1700006400000),
                    (1, 5, 'pro', NULL, NULL), (2, 3, NULL, 0, NULL);
                """);
        }

        await db.MigrateAsync();

        await using var check = await db.OpenAsync();
        var sqlite = db.Kind == DatabaseKind.Sqlite;
        string Field(string name) => sqlite ? $"json_extract(fields, '$.\"{name}\"')" : $"fields->>'{name}'";
        var ana = await check.QuerySingleAsync<(string Country, double Age, long Vip, long Since, string Plan)>(
            $"SELECT {Field("país")}, CAST({Field("edad")} AS DOUBLE PRECISION), " +
            $"CASE WHEN {(sqlite ? Field("vip") + " = 1" : Field("vip") + " = 'true'")} THEN 1 ELSE 0 END, CAST({Field("alta")} AS BIGINT), {Field("plan")} FROM contacts WHERE id = 1");
        Assert.Equal(("España \"sur\"", 41.5, 1L, 1700006400000L, "pro"), ana);
        Assert.Equal(sqlite ? "0" : "false", await check.QuerySingleAsync<string>($"SELECT CAST({Field("vip")} AS TEXT) FROM contacts WHERE id = 2"));
        Assert.Null(await check.QuerySingleAsync<string?>("SELECT CAST(fields AS TEXT) FROM contacts WHERE id = 3"));
        Assert.Equal(0L, await check.ExecuteScalarAsync<long>(sqlite
            ? "SELECT COUNT(*) FROM sqlite_master WHERE name = 'contact_values'"
            : "SELECT COUNT(*) FROM pg_tables WHERE tablename = 'contact_values'"));
    }

    [Fact]
    public async Task Tags_stored_before_their_key_get_it_and_a_contact_keeps_one_tag_per_key()
    {
        var (db, _, _) = await Backend.CreateEmptyAsync();
        await using (var connection = await db.OpenAsync())
        {
            await MigrateBeforeAsync(db, connection, 380);

            // "España" twice in other capitals on one contact, and once with a combining tilde (NFD) on another.
            await connection.ExecuteAsync("""
                INSERT INTO contacts (id, email, created_at, updated_at) VALUES (1, 'ana@ejemplo.es', 0, 0), (2, 'bea@ejemplo.es', 0, 0);
                INSERT INTO contact_tags (contact_id, tag) VALUES (1, 'ESPAÑA'), (1, 'España'), (1, 'ÉLITE'), (2, @decomposed), (2, 'Espana');
                """, new { decomposed = "Espan\u0303a" });
        }

        await db.MigrateAsync();

        await using var check = await db.OpenAsync();
        var rows = (await check.QueryAsync<(long Contact, string Tag, string Key)>("SELECT contact_id, tag, tag_key FROM contact_tags"))
            .OrderBy(r => r.Contact).ThenBy(r => r.Key, StringComparer.Ordinal).ToList();
        Assert.Equal(
            [(1L, "ESPAÑA", "españa"), (1L, "ÉLITE", "élite"), (2L, "Espana", "espana"), (2L, "Espan\u0303a", "españa")],
            rows);
        var duplicate = await Record.ExceptionAsync(() => check.ExecuteAsync("INSERT INTO contact_tags (contact_id, tag, tag_key) VALUES (1, 'españa', 'españa')"));
        Assert.True(DatabaseErrors.IsUniqueViolation(duplicate!), duplicate?.ToString());
    }

    /// <summary>Applies the migrations numbered below <paramref name="version"/> (their SQL only), as an older release left the schema.</summary>
    private static async Task MigrateBeforeAsync(Database db, System.Data.Common.DbConnection connection, int version)
    {
        await connection.ExecuteAsync("CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)");
        foreach (var migration in SchemaMigrations.All.Where(m => m.Version < version))
        {
            await connection.ExecuteAsync(db.Dialect.ExpandSchema(migration.For(db.Kind)));
            await connection.ExecuteAsync(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, 0)", new { migration.Version, migration.Name });
        }
    }

    [Fact]
    public void Migration_versions_ascend_within_each_area_from_its_start()
    {
        // Each area owns a block of 100 versions (mail store 1–99, outbound 100–199, ...), numbered up from its start;
        // an area may leave gaps so that work on different parts of it can number its migrations apart.
        foreach (var area in SchemaMigrations.All.GroupBy(m => m.Version / 100))
        {
            var versions = area.Select(m => m.Version).ToList();
            Assert.Equal(area.Key == 0 ? 1 : area.Key * 100, versions[0]);
            Assert.Equal(versions.Order(), versions);
            Assert.Equal(versions.Count, versions.Distinct().Count());
        }
    }
}

public sealed class MigrationOnSqlite(SqliteBackend backend) : MigrationTests(backend), IClassFixture<SqliteBackend>;

public sealed class MigrationOnPostgres(PostgresBackend backend) : MigrationTests(backend), IClassFixture<PostgresBackend>;
