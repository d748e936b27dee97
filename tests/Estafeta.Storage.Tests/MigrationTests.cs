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
