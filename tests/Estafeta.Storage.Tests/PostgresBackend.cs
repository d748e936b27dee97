using Npgsql;

namespace Estafeta.Storage.Tests;

/// <summary>
/// A fresh PostgreSQL database (random name) on the server named by <c>ESTAFETA_TEST_POSTGRES</c>, dropped at
/// the end. Without that variable the tests fail, they are not skipped: PostgreSQL support must not rot.
/// </summary>
public sealed class PostgresBackend : StorageBackend
{
    public const string Variable = "ESTAFETA_TEST_POSTGRES";

    private readonly List<string> databases = [];

    public override DatabaseKind Kind => DatabaseKind.PostgreSql;

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL storage tests cannot run. Start a server and set it with: " +
                "eval \"$(sudo scripts/test-postgres.sh)\"   (prints export " + Variable +
                "='Host=127.0.0.1;Port=5432;Username=estafeta;Password=estafeta;Database=postgres')");

    protected override async Task<string?> CreateDatabaseAsync()
    {
        var admin = AdminConnectionString;
        var name = "estafeta_test_" + Guid.NewGuid().ToString("N");
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync().ConfigureAwait(false);
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }

        databases.Add(name);
        return new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString;
    }

    protected override async Task DropDatabasesAsync()
    {
        if (databases.Count == 0)
        {
            return;
        }

        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        foreach (var name in databases)
        {
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        }
    }
}
