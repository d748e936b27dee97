using Estafeta.Testing;
using Estafeta.Storage;

namespace Estafeta.Marketing.Tests;

/// <summary>A migrated database and data folder shared by the tests of one class; tests use fresh addresses and names to stay independent.</summary>
public abstract class AudienceBackend : IAsyncLifetime
{
    private Database? db;

    public Database Db => db ?? throw new InvalidOperationException("the backend is not initialised");

    public string DataDirectory { get; } = Path.Combine(Path.GetTempPath(), "estafeta-audience-tests", Guid.NewGuid().ToString("N"));

    public abstract DatabaseKind Kind { get; }

    public async Task InitializeAsync()
    {
        Directory.CreateDirectory(DataDirectory);
        db = Database.Create(DataDirectory, await CreateDatabaseAsync());
        await db.MigrateAsync();
    }

    public async Task DisposeAsync()
    {
        if (db is not null) await db.DisposeAsync();
        await DropDatabaseAsync();
        if (Directory.Exists(DataDirectory)) Directory.Delete(DataDirectory, recursive: true);
    }

    protected abstract Task<string?> CreateDatabaseAsync();

    protected abstract Task DropDatabaseAsync();
}

/// <summary>SQLite in a fresh temporary data folder.</summary>
public sealed class SqliteAudience : AudienceBackend
{
    public override DatabaseKind Kind => DatabaseKind.Sqlite;

    protected override Task<string?> CreateDatabaseAsync() => Task.FromResult<string?>(null);

    protected override Task DropDatabaseAsync() => Task.CompletedTask;
}

/// <summary>
/// A fresh PostgreSQL database on the server named by <c>ESTAFETA_TEST_POSTGRES</c>, dropped at the end. Without
/// the variable the tests fail, never skip: PostgreSQL support must not rot.
/// </summary>
public sealed class PostgresAudience : AudienceBackend
{
    private ScratchPostgresDatabase? database;

    public override DatabaseKind Kind => DatabaseKind.PostgreSql;

    protected override async Task<string?> CreateDatabaseAsync()
    {
        database = await ScratchPostgresDatabase.CreateAsync("estafeta_audience_");
        return database.ConnectionString;
    }

    protected override async Task DropDatabaseAsync()
    {
        if (database is not null) await database.DisposeAsync();
    }
}
