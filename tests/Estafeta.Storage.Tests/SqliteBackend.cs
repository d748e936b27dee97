namespace Estafeta.Storage.Tests;

/// <summary>SQLite in a fresh temporary data folder.</summary>
public sealed class SqliteBackend : StorageBackend
{
    public override DatabaseKind Kind => DatabaseKind.Sqlite;

    protected override Task<string?> CreateDatabaseAsync() => Task.FromResult<string?>(null);

    protected override Task DropDatabasesAsync() => Task.CompletedTask;
}
