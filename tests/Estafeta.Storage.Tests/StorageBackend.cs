namespace Estafeta.Storage.Tests;

/// <summary>
/// A migrated database and data folder shared by the tests of one test class. Tests in a class share it, so
/// each test names its domains with <see cref="Names"/> to stay independent of the others.
/// </summary>
public abstract class StorageBackend : IAsyncLifetime
{
    private readonly List<(Database Db, string DataDir)> extra = [];
    private Database? db;

    public Database Db => db ?? throw new InvalidOperationException("the backend is not initialised");

    public string DataDirectory { get; private set; } = "";

    public abstract DatabaseKind Kind { get; }

    /// <summary>The connection string of the database behind <see cref="Db"/> (null for SQLite).</summary>
    public string? ConnectionString { get; private set; }

    public async Task InitializeAsync()
    {
        DataDirectory = NewTempDirectory();
        ConnectionString = await CreateDatabaseAsync().ConfigureAwait(false);
        db = Database.Create(DataDirectory, ConnectionString);
        await db.MigrateAsync().ConfigureAwait(false);
    }

    /// <summary>Another <see cref="Database"/> on the same storage, as a second process (a CLI verb next to <c>serve</c>) would have.</summary>
    public Database OpenSecondInstance()
    {
        var second = Database.Create(DataDirectory, ConnectionString);
        extra.Add((second, DataDirectory));
        return second;
    }

    /// <summary>A new, empty, unmigrated database with its own data folder, disposed with the backend.</summary>
    public async Task<(Database Db, string? ConnectionString, string DataDir)> CreateEmptyAsync()
    {
        var dir = NewTempDirectory();
        var cs = await CreateDatabaseAsync().ConfigureAwait(false);
        var fresh = Database.Create(dir, cs);
        extra.Add((fresh, dir));
        return (fresh, cs, dir);
    }

    public async Task DisposeAsync()
    {
        foreach (var (other, dir) in extra)
        {
            await other.DisposeAsync().ConfigureAwait(false);
            DeleteDirectory(dir);
        }

        if (db is not null)
        {
            await db.DisposeAsync().ConfigureAwait(false);
        }

        await DropDatabasesAsync().ConfigureAwait(false);
        DeleteDirectory(DataDirectory);
    }

    /// <summary>Creates an empty database; returns its connection string, or null for SQLite in the data folder.</summary>
    protected abstract Task<string?> CreateDatabaseAsync();

    protected abstract Task DropDatabasesAsync();

    private static string NewTempDirectory()
    {
        var dir = Path.Combine(Path.GetTempPath(), "estafeta-storage-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        return dir;
    }

    private static void DeleteDirectory(string dir)
    {
        if (dir.Length > 0 && Directory.Exists(dir))
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
