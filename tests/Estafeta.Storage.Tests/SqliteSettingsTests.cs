using Dapper;

namespace Estafeta.Storage.Tests;

/// <summary>The SQLite connection settings that durability and CLI-while-serving depend on.</summary>
public sealed class SqliteSettingsTests(SqliteBackend backend) : IClassFixture<SqliteBackend>
{
    [Fact]
    public async Task Database_file_lives_in_the_data_folder()
    {
        await using var connection = await backend.Db.OpenAsync();

        Assert.True(File.Exists(Path.Combine(backend.DataDirectory, "estafeta.db")));
    }

    [Fact]
    public async Task Connections_use_wal_full_sync_foreign_keys_and_a_busy_timeout()
    {
        await using var connection = await backend.Db.OpenAsync();

        Assert.Equal("wal", await connection.ExecuteScalarAsync<string>("PRAGMA journal_mode"));
        Assert.Equal(2L, await connection.ExecuteScalarAsync<long>("PRAGMA synchronous"));
        Assert.Equal(1L, await connection.ExecuteScalarAsync<long>("PRAGMA foreign_keys"));
        Assert.True(await connection.ExecuteScalarAsync<long>("PRAGMA busy_timeout") >= 5000);
    }

    [Fact]
    public async Task Sqlite_library_supports_returning()
    {
        await using var connection = await backend.Db.OpenAsync();
        var version = Version.Parse(await connection.ExecuteScalarAsync<string>("SELECT sqlite_version()") ?? "0.0");

        Assert.True(version >= new Version(3, 35), $"SQLite {version} has no RETURNING");
    }
}
