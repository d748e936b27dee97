using Dapper;

namespace Estafeta.Storage;

/// <summary>
/// Deletes message files that no message or outbound queue row references any more. Runs after the transaction
/// that removed the rows, in a transaction of its own that holds the blob locks (see
/// <see cref="SqlDialect.LockBlobsAsync"/>), so a concurrent delivery of identical content either sees the file
/// gone and fails cleanly, or commits its row first and the file is kept. A crash between the two leaves an
/// orphan file, which <see cref="CollectOrphansAsync"/> removes.
/// </summary>
public static class BlobCollector
{
    private const int Chunk = 500;

    internal static async Task DeleteUnreferencedAsync(Database db, IReadOnlyCollection<string> hashes)
    {
        if (hashes.Count == 0)
        {
            return;
        }

        // Deliberately not cancellable: the rows are gone already, the files should follow.
        var ct = CancellationToken.None;
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var distinct = hashes.Distinct(StringComparer.Ordinal).ToList();
        await db.Dialect.LockBlobsAsync(connection, tx, distinct, exclusive: true, ct).ConfigureAwait(false);
        var referenced = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in distinct.Chunk(Chunk))
        {
            referenced.UnionWith(await connection.QueryAsync<string>(new CommandDefinition(
                $"""
                SELECT blob_hash FROM messages WHERE {db.Dialect.In("blob_hash", "chunk")}
                UNION
                SELECT blob_hash FROM outbound_queue WHERE {db.Dialect.In("blob_hash", "chunk")}
                """,
                new { chunk }, tx, cancellationToken: ct)).ConfigureAwait(false));
        }

        foreach (var hash in distinct.Where(h => !referenced.Contains(h)))
        {
            db.Blobs.Delete(hash);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Deletes message files and temporary files older than <paramref name="minimumAge"/> that nothing references:
    /// content whose delivery never committed (the SMTP session was rejected or the process stopped) or whose
    /// clean-up was interrupted. Returns how many files it deleted. Safe while the server runs.
    /// </summary>
    public static async Task<int> CollectOrphansAsync(Database db, TimeSpan minimumAge, CancellationToken ct = default)
    {
        var cutoff = db.Time.GetUtcNow().UtcDateTime - minimumAge;
        var deleted = 0;
        var store = db.Blobs;
        if (Directory.Exists(store.TempDirectory))
        {
            foreach (var temp in Directory.EnumerateFiles(store.TempDirectory, "*.tmp"))
            {
                if (File.GetLastWriteTimeUtc(temp) < cutoff)
                {
                    File.Delete(temp);
                    deleted++;
                }
            }
        }

        if (!Directory.Exists(store.MessagesDirectory))
        {
            return deleted;
        }

        var candidates = Directory.EnumerateFiles(store.MessagesDirectory, "*.eml", SearchOption.AllDirectories)
            .Where(f => File.GetLastWriteTimeUtc(f) < cutoff)
            .Select(Path.GetFileNameWithoutExtension)
            .Where(BlobStore.IsHash)
            .Select(h => h!);
        foreach (var batch in candidates.Chunk(Chunk))
        {
            ct.ThrowIfCancellationRequested();
            var before = batch.Count(store.Exists);
            await DeleteUnreferencedAsync(db, batch).ConfigureAwait(false);
            deleted += before - batch.Count(store.Exists);
        }

        return deleted;
    }
}
