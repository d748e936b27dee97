using System.Data.Common;
using Dapper;

namespace Estafeta.Storage;

/// <summary>The MTA's side of the queue: leases, per-recipient outcomes, rescheduling and removal.</summary>
public sealed partial class OutboundQueueStore
{
    /// <summary>
    /// Takes up to <paramref name="limit"/> due entries for <paramref name="owner"/> until <paramref name="leaseUntil"/>:
    /// no other runner picks them meanwhile. A lease that runs out (its node died) makes the entry due again.
    /// </summary>
    public async Task<IReadOnlyList<QueuedMessage>> ClaimDueAsync(string owner, DateTimeOffset leaseUntil, int limit, CancellationToken ct = default)
    {
        var now = db.NowMilliseconds();
        // The lease's end marks this claim's rows: it must differ from every earlier claim of this owner that may
        // still hold rows, so it moves on by at least a millisecond each time.
        var until = leaseUntil.ToUnixTimeMilliseconds();
        var marks = ClaimMarks.GetValue(db, _ => new Dictionary<string, long>(StringComparer.Ordinal));
        lock (marks)
        {
            if (marks.TryGetValue(owner, out var last) && until <= last) until = last + 1;
            marks[owner] = until;
        }

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using (var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false))
        {
            // One statement, whatever the batch size; on PostgreSQL rows another node is claiming are skipped.
            var claimed = await connection.ExecuteAsync(new CommandDefinition(
                $"""
                UPDATE outbound_queue SET lease_owner = @owner, lease_until = @until
                WHERE id IN (
                    SELECT id FROM outbound_queue
                    WHERE state = @state AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until < @now)
                    ORDER BY next_attempt_at, id LIMIT @limit{(db.Dialect.Kind == DatabaseKind.PostgreSql ? " FOR UPDATE SKIP LOCKED" : "")})
                """,
                new { owner, until, state = StateName(OutboundState.Queued), now, limit = (long)limit }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            if (claimed == 0)
            {
                return [];
            }
        }

        return await QueryAsync(
            $"SELECT {QueueColumns} FROM outbound_queue WHERE lease_owner = @owner AND lease_until = @until ORDER BY next_attempt_at, id",
            new { owner, until }, ct, "queue_id IN (SELECT id FROM outbound_queue WHERE lease_owner = @owner AND lease_until = @until)").ConfigureAwait(false);
    }

    /// <summary>The last lease end used per database and owner, whichever store instance claimed.</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Database, Dictionary<string, long>> ClaimMarks = new();

    /// <summary>Drops the leases <paramref name="owner"/> held before it restarted: those messages were in flight
    /// when the process stopped and are due again at once (each may be delivered one more time).</summary>
    public async Task<int> ReleaseLeasesAsync(string owner, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbound_queue SET lease_owner = NULL, lease_until = NULL WHERE lease_owner = @owner",
            new { owner }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>
    /// Records what one attempt did, in one transaction: each recipient's new state and answer, the attempt log and
    /// the events. Called as soon as the remote server answers, before the next message is sent.
    /// </summary>
    public async Task RecordAsync(
        long queueId,
        IReadOnlyList<RecipientOutcome> outcomes,
        IReadOnlyList<DeliveryAttempt> attempts,
        IReadOnlyList<OutboundEvent> events,
        CancellationToken ct = default)
    {
        var now = db.NowMilliseconds();
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        foreach (var o in outcomes)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE outbound_recipients
                SET state = @state, status = @status, last_error = @reply, remote_mta = @remote, attempts = attempts + 1, updated_at = @now
                WHERE id = @id AND queue_id = @queueId
                """,
                new { state = StateName(o.State), status = o.Status, reply = o.Reply, remote = o.RemoteMta, now, id = o.RecipientId, queueId },
                tx, cancellationToken: ct)).ConfigureAwait(false);
        }

        await InsertAttemptsAsync(connection, tx, queueId, attempts, ct).ConfigureAwait(false);
        await OutboundEventStore.InsertAsync(connection, tx, events, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Sets the next attempt and gives the lease back. <paramref name="countAttempt"/> is false when the
    /// message was only held back by a local limit (rate, warm-up) and never tried.</summary>
    public async Task RescheduleAsync(long queueId, DateTimeOffset nextAttemptAt, string? lastError, bool countAttempt, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            UPDATE outbound_queue
            SET next_attempt_at = @next, last_error = COALESCE(@error, last_error), attempts = attempts + @count,
                lease_owner = NULL, lease_until = NULL
            WHERE id = @queueId
            """,
            new { next = nextAttemptAt.ToUnixTimeMilliseconds(), error = lastError, count = countAttempt ? 1L : 0L, queueId },
            cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Failed recipients of an entry whose failure notice (DSN) was not sent yet.</summary>
    public async Task<IReadOnlyList<long>> PendingFailureNoticesAsync(long queueId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var ids = await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT id FROM outbound_recipients WHERE queue_id = @queueId AND state = @state AND dsn_sent = 0 ORDER BY id",
            new { queueId, state = StateName(OutboundState.Failed) }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. ids];
    }

    /// <summary>Marks the failure notices of these recipients as sent (they go out before this is recorded).</summary>
    public async Task MarkFailureNoticesSentAsync(long queueId, IReadOnlyList<long> recipientIds, CancellationToken ct = default)
    {
        if (recipientIds.Count == 0)
        {
            return;
        }

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE outbound_recipients SET dsn_sent = 1 WHERE queue_id = @queueId AND {db.Dialect.In("id", "ids")}",
            new { queueId, ids = recipientIds.ToArray() }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>
    /// Removes the entry when no recipient is left to deliver and no failure notice is pending; returns whether
    /// it did. Otherwise the entry stays (and keeps its lease until rescheduled).
    /// </summary>
    public async Task<bool> CompleteIfDoneAsync(long queueId, CancellationToken ct = default)
    {
        string? hash;
        await using (var connection = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            var open = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT COUNT(*) FROM outbound_recipients WHERE queue_id = @queueId AND (state = @queued OR (state = @failed AND dsn_sent = 0))",
                new { queueId, queued = StateName(OutboundState.Queued), failed = StateName(OutboundState.Failed) }, tx, cancellationToken: ct)).ConfigureAwait(false);
            if (open > 0)
            {
                await tx.RollbackAsync(ct).ConfigureAwait(false);
                return false;
            }

            hash = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT blob_hash FROM outbound_queue WHERE id = @queueId", new { queueId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM outbound_recipients WHERE queue_id = @queueId", new { queueId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM outbound_queue WHERE id = @queueId", new { queueId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }

        if (hash is not null)
        {
            await BlobCollector.DeleteUnreferencedAsync(db, [hash]).ConfigureAwait(false);
        }

        return true;
    }

    public async Task MarkDelayNotifiedAsync(long queueId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbound_queue SET delay_notified = 1 WHERE id = @queueId", new { queueId }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>The attempts logged for an entry, oldest first.</summary>
    public async Task<IReadOnlyList<DeliveryAttempt>> AttemptsAsync(long queueId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<AttemptRow>(new CommandDefinition(
            """
            SELECT id AS Id, queue_id AS QueueId, recipient AS Recipient, at AS At, destination AS Destination, mx_host AS MxHost,
                   mx_address AS MxAddress, tls AS Tls, outcome AS Outcome, reply AS Reply
            FROM outbound_attempts WHERE queue_id = @queueId ORDER BY id
            """,
            new { queueId }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => new DeliveryAttempt(Rows.Time(r.At), r.Destination, r.Outcome, r.Reply, r.Recipient, r.MxHost, r.MxAddress, r.Tls))];
    }

    private static async Task InsertAttemptsAsync(DbConnection connection, DbTransaction tx, long queueId, IReadOnlyList<DeliveryAttempt> attempts, CancellationToken ct)
    {
        foreach (var a in attempts)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO outbound_attempts (queue_id, recipient, at, destination, mx_host, mx_address, tls, outcome, reply)
                VALUES (@queueId, @recipient, @at, @destination, @mxHost, @mxAddress, @tls, @outcome, @reply)
                """,
                new
                {
                    queueId,
                    recipient = a.Recipient,
                    at = a.At.ToUnixTimeMilliseconds(),
                    destination = a.Destination,
                    mxHost = a.MxHost,
                    mxAddress = a.MxAddress,
                    tls = a.Tls,
                    outcome = a.Outcome,
                    reply = a.Reply,
                },
                tx, cancellationToken: ct)).ConfigureAwait(false);
        }
    }
}
