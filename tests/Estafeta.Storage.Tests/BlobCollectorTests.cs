namespace Estafeta.Storage.Tests;

public abstract class BlobCollectorTests(StorageBackend backend) : StorageTests(backend)
{
    [Fact]
    public async Task Orphan_files_are_collected_and_referenced_ones_kept()
    {
        var account = await NewAccountAsync();
        var receipt = await DeliverAsync("kept", account);
        var kept = (await Mail.ListMessagesAsync(receipt.Copies[0].MailboxId))[0].BlobHash;
        var orphan = await StoreAsync("never delivered");
        var fresh = await StoreAsync("still being delivered");
        var old = DateTime.UtcNow.AddHours(-2);
        File.SetLastWriteTimeUtc(Db.Blobs.PathOf(kept), old);
        File.SetLastWriteTimeUtc(Db.Blobs.PathOf(orphan.Hash), old);
        var staleTemp = Path.Combine(Db.Blobs.TempDirectory, "stale.tmp");
        await File.WriteAllTextAsync(staleTemp, "partial");
        File.SetLastWriteTimeUtc(staleTemp, old);

        var deleted = await BlobCollector.CollectOrphansAsync(Db, TimeSpan.FromHours(1));

        Assert.True(deleted >= 2);
        Assert.True(Db.Blobs.Exists(kept));
        Assert.False(Db.Blobs.Exists(orphan.Hash));
        Assert.True(Db.Blobs.Exists(fresh.Hash));
        Assert.False(File.Exists(staleTemp));
    }
}

public sealed class BlobCollectorOnSqlite(SqliteBackend backend) : BlobCollectorTests(backend), IClassFixture<SqliteBackend>;

public sealed class BlobCollectorOnPostgres(PostgresBackend backend) : BlobCollectorTests(backend), IClassFixture<PostgresBackend>;
