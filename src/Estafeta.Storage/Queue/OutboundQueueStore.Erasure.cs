using System.Data.Common;
using Dapper;

namespace Estafeta.Storage;

/// <summary>What <see cref="OutboundQueueStore.CancelForErasedAddressAsync"/> did to the queue.
/// <see cref="InFlight"/> entries were leased to a delivery at that moment and were left alone (nothing was changed
/// when it is not zero); <see cref="FreedBlobs"/> are the message files of removed entries, to pass to
/// <see cref="OutboundQueueStore.DeleteFreedBlobsAsync"/> once the transaction is committed.</summary>
public sealed record QueueErasure(int CancelledRecipients, int RemovedEntries, int ScrubbedAttempts, int InFlight, IReadOnlyList<string> FreedBlobs)
{
    public static readonly QueueErasure None = new(0, 0, 0, 0, []);
}

public sealed partial class OutboundQueueStore
{
    /// <summary>What stands in the attempt log for the address of an erased person.</summary>
    public const string ErasedAddress = "(erased)";

    /// <summary>
    /// Inside the caller's write transaction: cancels every queued delivery to <paramref name="canonical"/> (its
    /// recipient rows go; an entry left with no recipient goes too) and strips the address and remote answers from
    /// the attempt log of entries that stay. An entry that a delivery holds a live lease on may be at the remote
    /// server right now and cannot be called back: when there is one, nothing is changed and
    /// <see cref="QueueErasure.InFlight"/> says how many, so that the caller can roll back and try again once the
    /// lease is settled. On PostgreSQL the entries are locked first, so a claim running at the same time skips
    /// them (it uses SKIP LOCKED) instead of taking one between the check and the deletion; on SQLite the write
    /// transaction already excludes claims.
    /// </summary>
    public static async Task<QueueErasure> CancelForErasedAddressAsync(
        DbConnection connection, DbTransaction tx, Database db, string canonical, CancellationToken ct = default)
    {
        // Addresses are kept as the sender wrote them; the canonical form differs at most in ASCII case.
        const string Matches = "(address = @canonical OR LOWER(address) = LOWER(@canonical))";
        var now = db.NowMilliseconds();
        var entries = (await connection.QueryAsync<(long Id, string BlobHash, long? LeaseUntil)>(new CommandDefinition(
            $"""
            SELECT id, blob_hash, lease_until FROM outbound_queue
            WHERE id IN (SELECT queue_id FROM outbound_recipients WHERE {Matches})
            ORDER BY id{(db.Dialect.Kind == DatabaseKind.PostgreSql ? " FOR UPDATE" : "")}
            """,
            new { canonical }, tx, cancellationToken: ct)).ConfigureAwait(false)).AsList();
        if (entries.Count == 0)
        {
            return QueueErasure.None;
        }

        var inFlight = entries.Count(e => e.LeaseUntil is { } until && until >= now);
        if (inFlight > 0)
        {
            return QueueErasure.None with { InFlight = inFlight };
        }

        var ids = entries.Select(e => e.Id).ToArray();
        var cancelled = await connection.ExecuteAsync(new CommandDefinition(
            $"DELETE FROM outbound_recipients WHERE {Matches}", new { canonical }, tx, cancellationToken: ct)).ConfigureAwait(false);
        var emptied = (await connection.QueryAsync<long>(new CommandDefinition(
            $"""
            SELECT id FROM outbound_queue
            WHERE {db.Dialect.In("id", "ids")} AND NOT EXISTS (SELECT 1 FROM outbound_recipients r WHERE r.queue_id = outbound_queue.id)
            """,
            new { ids }, tx, cancellationToken: ct)).ConfigureAwait(false)).ToHashSet();
        if (emptied.Count > 0)
        {
            var gone = emptied.ToArray();
            await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM outbound_attempts WHERE {db.Dialect.In("queue_id", "gone")}", new { gone }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM outbound_queue WHERE {db.Dialect.In("id", "gone")}", new { gone }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }

        var kept = ids.Where(id => !emptied.Contains(id)).ToArray();
        var scrubbed = kept.Length == 0 ? 0 : await connection.ExecuteAsync(new CommandDefinition(
            $"""
            UPDATE outbound_attempts SET recipient = '{ErasedAddress}', reply = NULL
            WHERE {db.Dialect.In("queue_id", "kept")} AND (recipient = @canonical OR LOWER(recipient) = LOWER(@canonical))
            """,
            new { kept, canonical }, tx, cancellationToken: ct)).ConfigureAwait(false);
        var freed = entries.Where(e => emptied.Contains(e.Id)).Select(e => e.BlobHash).Distinct(StringComparer.Ordinal).ToList();
        return new QueueErasure(cancelled, emptied.Count, scrubbed, 0, freed);
    }

    /// <summary>Deletes the message files that <see cref="CancelForErasedAddressAsync"/> freed, once its
    /// transaction is committed (a file another row still references stays).</summary>
    public Task DeleteFreedBlobsAsync(IReadOnlyCollection<string> hashes) => BlobCollector.DeleteUnreferencedAsync(db, hashes);
}
