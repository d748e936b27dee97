using Npgsql;

namespace Estafeta.Testing;

/// <summary>
/// A throwaway database on the PostgreSQL server named by <c>ESTAFETA_TEST_POSTGRES</c> (scripts/test.sh starts
/// one and sets it), dropped when disposed. Without the variable the tests fail with how to set it: they never skip.
/// </summary>
public sealed class ScratchPostgresDatabase : IAsyncDisposable
{
    public const string Variable = "ESTAFETA_TEST_POSTGRES";

    private ScratchPostgresDatabase(string name, string connectionString)
    {
        Name = name;
        ConnectionString = connectionString;
    }

    public string Name { get; }

    /// <summary>Npgsql connection string of the new database.</summary>
    public string ConnectionString { get; }

    public static string AdminConnectionString =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException(
                $"{Variable} is not set, so the PostgreSQL tests cannot run: run the tests with ./scripts/test.sh, or start a server and set it with: eval \"$(scripts/test-postgres.sh)\"");

    /// <summary>Creates an empty database named <paramref name="prefix"/> plus a fresh GUID.</summary>
    public static async Task<ScratchPostgresDatabase> CreateAsync(string prefix)
    {
        var admin = AdminConnectionString;
        var name = prefix + Guid.NewGuid().ToString("N");
        await ExecuteAsync(admin, $"CREATE DATABASE \"{name}\"");
        return new ScratchPostgresDatabase(name, new NpgsqlConnectionStringBuilder(admin) { Database = name }.ConnectionString);
    }

    /// <summary>Drops the database. FORCE ends our own sessions, but not a server process of another role still
    /// working in it (an autovacuum worker after a busy test: 42501), so that case is tried again for a few seconds.</summary>
    public async ValueTask DisposeAsync()
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await ExecuteAsync(AdminConnectionString, $"DROP DATABASE IF EXISTS \"{Name}\" WITH (FORCE)");
                return;
            }
            catch (PostgresException e) when (e.SqlState is PostgresErrorCodes.InsufficientPrivilege or PostgresErrorCodes.ObjectInUse && attempt < 25)
            {
                await Task.Delay(200);
            }
        }
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
