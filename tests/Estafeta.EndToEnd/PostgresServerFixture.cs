using Npgsql;

namespace Estafeta.EndToEnd;

/// <summary>The same server on PostgreSQL: a fresh database on the server named by ESTAFETA_TEST_POSTGRES
/// (scripts/test.sh starts one), dropped at the end. Without the variable the tests fail, never skip.</summary>
public sealed class PostgresServerFixture : ServerFixture
{
    private string? _name;

    private static string Admin =>
        Environment.GetEnvironmentVariable("ESTAFETA_TEST_POSTGRES") is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException("ESTAFETA_TEST_POSTGRES is not set: run the tests with ./scripts/test.sh, which starts PostgreSQL and sets it.");

    protected override async Task<string?> CreateDatabaseAsync()
    {
        _name = "estafeta_e2e_" + Guid.NewGuid().ToString("N");
        await using var connection = new NpgsqlConnection(Admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"CREATE DATABASE \"{_name}\"", connection);
        await command.ExecuteNonQueryAsync();
        return new NpgsqlConnectionStringBuilder(Admin) { Database = _name }.ConnectionString;
    }

    protected override async Task DropDatabaseAsync()
    {
        if (_name is null) return;
        await using var connection = new NpgsqlConnection(Admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_name}\" WITH (FORCE)", connection);
        await command.ExecuteNonQueryAsync();
    }
}
