using Dapper;

namespace Estafeta.Storage;

/// <summary>
/// Applies <see cref="SchemaMigrations.All"/> in order, each in its own transaction together with its row in
/// <c>schema_migrations</c>, under a lock so two processes starting at once apply each migration exactly once.
/// </summary>
internal sealed class MigrationRunner(Database db)
{
    private const string CreateTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY,
            name TEXT NOT NULL,
            applied_at BIGINT NOT NULL
        )
        """;

    public async Task<int> RunAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);

        // Every verb of the command line migrates first: when nothing is missing (the usual case) one read says so,
        // without a locked write transaction per migration. Anything missing is applied under the lock below, where
        // each migration is checked again.
        if (await AllAppliedAsync(connection, ct).ConfigureAwait(false)) return 0;

        await EnsureTableAsync(connection, ct).ConfigureAwait(false);

        var applied = 0;
        foreach (var migration in SchemaMigrations.All)
        {
            await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            await db.Dialect.LockMigrationsAsync(connection, tx, ct).ConfigureAwait(false);
            var done = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM schema_migrations WHERE version = @version",
                new { version = (long)migration.Version }, tx, cancellationToken: ct)).ConfigureAwait(false);
            if (done > 0)
            {
                await tx.RollbackAsync(ct).ConfigureAwait(false);
                continue;
            }

            try
            {
                // A migration rewrites whole tables (351 moves every custom field value into its contact): on a
                // large PostgreSQL database that takes minutes, far beyond Npgsql's 30 s default command timeout.
                await connection.ExecuteAsync(new CommandDefinition(
                    db.Dialect.ExpandSchema(migration.For(db.Kind)), transaction: tx,
                    commandTimeout: db.Kind == DatabaseKind.PostgreSql ? 0 : null, cancellationToken: ct)).ConfigureAwait(false);
                if (migration.Then is { } then) await then(connection, tx, ct).ConfigureAwait(false);
            }
            catch (System.Data.Common.DbException e)
            {
                throw new StorageException(
                    $"schema migration {migration.Version} ({migration.Name}) failed: {e.Message}", e);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)",
                new { version = (long)migration.Version, name = migration.Name, at = db.NowMilliseconds() },
                tx, cancellationToken: ct)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            applied++;
        }

        return applied;
    }

    public async Task<IReadOnlyList<int>> AppliedAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await EnsureTableAsync(connection, ct).ConfigureAwait(false);
        var versions = await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT version FROM schema_migrations ORDER BY version", cancellationToken: ct)).ConfigureAwait(false);
        return [.. versions.Select(v => (int)v)];
    }

    private async Task<bool> AllAppliedAsync(System.Data.Common.DbConnection connection, CancellationToken ct)
    {
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            db.Kind == DatabaseKind.PostgreSql
                ? "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'"
                : "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'",
            cancellationToken: ct)).ConfigureAwait(false);
        if (exists == 0) return false;

        var versions = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT version FROM schema_migrations", cancellationToken: ct)).ConfigureAwait(false)).ToHashSet();
        return SchemaMigrations.All.All(m => versions.Contains(m.Version));
    }

    private async Task EnsureTableAsync(System.Data.Common.DbConnection connection, CancellationToken ct)
    {
        if (db.Kind == DatabaseKind.PostgreSql)
        {
            // CREATE TABLE IF NOT EXISTS can still race on PostgreSQL's catalog; serialise it like the migrations.
            await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            await db.Dialect.LockMigrationsAsync(connection, tx, ct).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(CreateTable, transaction: tx, cancellationToken: ct)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            return;
        }

        await connection.ExecuteAsync(new CommandDefinition(CreateTable, cancellationToken: ct)).ConfigureAwait(false);
    }
}
