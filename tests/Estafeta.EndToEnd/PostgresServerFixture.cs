using Estafeta.Testing;

namespace Estafeta.EndToEnd;

/// <summary>The same server on PostgreSQL: a fresh database on the server named by ESTAFETA_TEST_POSTGRES
/// (scripts/test.sh starts one), dropped at the end. Without the variable the tests fail, never skip.</summary>
public sealed class PostgresServerFixture : ServerFixture
{
    private ScratchPostgresDatabase? database;

    protected override async Task<string?> CreateDatabaseAsync()
    {
        database = await ScratchPostgresDatabase.CreateAsync("estafeta_e2e_");
        return database.ConnectionString;
    }

    protected override async Task DropDatabaseAsync()
    {
        if (database is not null) await database.DisposeAsync();
    }
}
