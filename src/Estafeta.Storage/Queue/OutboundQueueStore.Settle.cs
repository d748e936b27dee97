using Dapper;

namespace Estafeta.Storage;

/// <summary>
/// What one delivery pass learnt about one queued message, written with those of other messages in one transaction
/// (<see cref="OutboundQueueStore.SettleAsync"/>). <see cref="Remove"/>: every recipient is delivered, so the entry
/// goes (with its recipients and attempt log) instead of having its recipients updated.
/// </summary>
public sealed record QueueSettlement(
    long QueueId,
    string BlobHash,
    IReadOnlyList<RecipientOutcome> Outcomes,
    IReadOnlyList<DeliveryAttempt> Attempts,
    IReadOnlyList<OutboundEvent> Events,
    bool Remove);

/// <summary>The group-committed side of the MTA: many messages' outcomes and removals in one transaction.</summary>
public sealed partial class OutboundQueueStore
{
    /// <summary>
    /// Records the outcomes, attempts and events of every settlement and removes the entries marked
    /// <see cref="QueueSettlement.Remove"/>, all in one durable transaction; then deletes the message files that no
    /// row references any more (a file whose deletion is lost in a crash is an orphan that
    /// <see cref="BlobCollector.CollectOrphansAsync"/> removes later).
    /// </summary>
    public async Task SettleAsync(IReadOnlyList<QueueSettlement> settlements, CancellationToken ct = default)
    {
        await CommitSettlementsAsync(settlements, ct).ConfigureAwait(false);
        await DeleteFilesAsync(settlements).ConfigureAwait(false);
    }

    /// <summary>The transactional half of <see cref="SettleAsync"/>: when it returns, every outcome is durable.</summary>
    public async Task CommitSettlementsAsync(IReadOnlyList<QueueSettlement> settlements, CancellationToken ct = default)
    {
        if (settlements.Count == 0)
        {
            return;
        }

        var now = db.NowMilliseconds();
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        foreach (var s in settlements.Where(s => !s.Remove))
        {
            foreach (var o in s.Outcomes)
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE outbound_recipients
                    SET state = @state, status = @status, last_error = @reply, remote_mta = @remote, attempts = attempts + 1, updated_at = @now
                    WHERE id = @id AND queue_id = @queueId
                    """,
                    new { state = StateName(o.State), status = o.Status, reply = o.Reply, remote = o.RemoteMta, now, id = o.RecipientId, queueId = s.QueueId },
                    tx, cancellationToken: ct)).ConfigureAwait(false);
            }

            await InsertAttemptsAsync(connection, tx, s.QueueId, s.Attempts, ct).ConfigureAwait(false);
        }

        // Many rows: one prepared statement each, executed once per row (no statement text or parameter list
        // that grows with the batch).
        await OutboundEventStore.InsertPreparedAsync(connection, tx, [.. settlements.SelectMany(s => s.Events)], ct).ConfigureAwait(false);
        var removed = settlements.Where(s => s.Remove).Select(s => s.QueueId).ToList();
        if (removed.Count > 0)
        {
            await using var attempts = Prepared(connection, tx, "DELETE FROM outbound_attempts WHERE queue_id = @id", "id");
            await using var recipients = Prepared(connection, tx, "DELETE FROM outbound_recipients WHERE queue_id = @id", "id");
            await using var entries = Prepared(connection, tx, "DELETE FROM outbound_queue WHERE id = @id", "id");
            foreach (var id in removed)
            {
                foreach (var command in new[] { attempts, recipients, entries })
                {
                    command.Parameters[0].Value = id;
                    await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
                }
            }
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Deletes the message files of removed entries that no row references any more. A deletion lost in a
    /// crash leaves an orphan that <see cref="BlobCollector.CollectOrphansAsync"/> removes later.</summary>
    public async Task DeleteFilesAsync(IReadOnlyList<QueueSettlement> settlements)
    {
        // In small groups: the check and the deletions hold the write lock (SQLite's one lock, which the next claim
        // and the next settlement wait for), so each hold stays short.
        foreach (var chunk in settlements.Where(s => s.Remove).Select(s => s.BlobHash).Distinct(StringComparer.Ordinal).Chunk(32))
        {
            await BlobCollector.DeleteUnreferencedAsync(db, chunk).ConfigureAwait(false);
        }
    }

    /// <summary>A command with named parameters (values set per execution), prepared once.</summary>
    internal static System.Data.Common.DbCommand Prepared(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, string sql, params string[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText = sql;
        foreach (var name in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.DbType = System.Data.DbType.Int64;
            command.Parameters.Add(p);
        }

        return command;
    }
}
