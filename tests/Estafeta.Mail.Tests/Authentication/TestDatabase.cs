using Estafeta.Storage;

namespace Estafeta.Mail.Tests.Authentication;

/// <summary>A migrated SQLite database in a fresh folder, deleted afterwards.</summary>
public sealed class TestDatabase : IAsyncDisposable
{
    private TestDatabase(string directory, Database db)
    {
        Directory = directory;
        Db = db;
    }

    public string Directory { get; }
    public Database Db { get; }

    public static async Task<TestDatabase> CreateAsync(TimeProvider? clock = null)
    {
        var directory = Path.Combine(Path.GetTempPath(), "estafeta-mail-tests-" + Guid.NewGuid().ToString("N"));
        var db = Database.Create(directory, null, clock);
        await db.MigrateAsync();
        return new TestDatabase(directory, db);
    }

    public async ValueTask DisposeAsync()
    {
        await Db.DisposeAsync();
        try { System.IO.Directory.Delete(Directory, recursive: true); } catch (IOException) { }
    }
}
