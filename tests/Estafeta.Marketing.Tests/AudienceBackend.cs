using Estafeta.Storage;
using Npgsql;

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
    public const string Variable = "ESTAFETA_TEST_POSTGRES";

    private string? name;

    public override DatabaseKind Kind => DatabaseKind.PostgreSql;

    private static string Admin =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{Variable} is not set, so the PostgreSQL audience tests cannot run. Start a server and set it with: eval \"$(scripts/test-postgres.sh)\"");

    protected override async Task<string?> CreateDatabaseAsync()
    {
        name = "estafeta_audience_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(Admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(Admin) { Database = name }.ConnectionString;
    }

    protected override async Task DropDatabaseAsync()
    {
        if (name is null) return;
        await using var connection = new NpgsqlConnection(Admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
