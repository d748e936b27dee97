using System.Data.Common;
using Dapper;

namespace Estafeta.Storage;

/// <summary>
/// The outbound queue: messages waiting for the MTA, one row per message plus one per recipient. Entries are
/// created by <see cref="DeliveryWriter"/> (a <see cref="Delivery"/> with <see cref="Delivery.Outbound"/>), in the same
/// durable transaction as any local copies.
/// </summary>
public sealed partial class OutboundQueueStore(Database db)
{
    private const string QueueColumns =
        """
        id AS Id, blob_hash AS BlobHash, size AS Size, envelope_sender AS EnvelopeSender, account_id AS AccountId,
        dsn_ret AS DsnRet, dsn_envid AS DsnEnvId, state AS State, attempts AS Attempts, created_at AS CreatedAt,
        next_attempt_at AS NextAttemptAt, last_error AS LastError, verp AS Verp, delay_notified AS DelayNotified,
        lease_owner AS LeaseOwner, lease_until AS LeaseUntil
        """;

    private const string RecipientColumns =
        """
        id AS Id, queue_id AS QueueId, address AS Address, state AS State, dsn_notify AS DsnNotify, dsn_orcpt AS DsnOrcpt,
        last_error AS LastError, attempts AS Attempts, status AS Status, remote_mta AS RemoteMta, updated_at AS UpdatedAt
        """;

    /// <summary>Every queue entry, oldest first.</summary>
    public Task<IReadOnlyList<QueuedMessage>> ListAsync(CancellationToken ct = default) =>
        QueryAsync($"SELECT {QueueColumns} FROM outbound_queue ORDER BY id", new { }, ct);

    /// <summary>Entries still queued whose next attempt is due at <paramref name="now"/>, earliest first.</summary>
    public Task<IReadOnlyList<QueuedMessage>> ListDueAsync(DateTimeOffset now, int limit = 100, CancellationToken ct = default) =>
        QueryAsync(
            $"SELECT {QueueColumns} FROM outbound_queue WHERE state = @state AND next_attempt_at <= @now ORDER BY next_attempt_at, id LIMIT @limit",
            new { state = StateName(OutboundState.Queued), now = now.ToUnixTimeMilliseconds(), limit = (long)limit },
            ct);

    public async Task<QueuedMessage?> GetAsync(long id, CancellationToken ct = default)
    {
        var found = await QueryAsync($"SELECT {QueueColumns} FROM outbound_queue WHERE id = @id", new { id }, ct).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    /// <summary>Removes the entry and its recipients; its message file goes too when nothing else references it.</summary>
    public async Task DeleteAsync(long id, CancellationToken ct = default)
    {
        string hash;
        await using (var connection = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            hash = await connection.QuerySingleOrDefaultAsync<string>(new CommandDefinition(
                "SELECT blob_hash FROM outbound_queue WHERE id = @id", new { id }, tx, cancellationToken: ct)).ConfigureAwait(false)
                ?? throw new NotFoundException($"queue entry {id} does not exist");
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM outbound_recipients WHERE queue_id = @id", new { id }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM outbound_queue WHERE id = @id", new { id }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
        }

        await BlobCollector.DeleteUnreferencedAsync(db, [hash]).ConfigureAwait(false);
    }

    internal static async Task<long> InsertAsync(
        DbConnection connection, DbTransaction tx, Database db, BlobRef blob, OutboundMessage outbound, CancellationToken ct)
    {
        var now = db.NowMilliseconds();
        var queueId = await connection.QuerySingleAsync<long>(new CommandDefinition(
            """
            INSERT INTO outbound_queue (blob_hash, size, envelope_sender, account_id, dsn_ret, dsn_envid, state, attempts, created_at, next_attempt_at, verp)
            VALUES (@hash, @size, @sender, @accountId, @dsnRet, @dsnEnvId, @state, 0, @now, @next, @verp)
            RETURNING id
            """,
            new
            {
                hash = blob.Hash,
                size = blob.Size,
                sender = outbound.EnvelopeSender.Trim(),
                accountId = outbound.AccountId,
                dsnRet = outbound.DsnRet,
                dsnEnvId = outbound.DsnEnvId,
                state = StateName(OutboundState.Queued),
                now,
                next = outbound.NextAttemptAt?.ToUnixTimeMilliseconds() ?? now,
                verp = outbound.Verp ? 1L : 0L,
            },
            tx,
            cancellationToken: ct)).ConfigureAwait(false);
        foreach (var recipient in outbound.Recipients)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO outbound_recipients (queue_id, address, state, dsn_notify, dsn_orcpt)
                VALUES (@queueId, @address, @state, @notify, @orcpt)
                """,
                new
                {
                    queueId,
                    address = recipient.Address.Trim(),
                    state = StateName(OutboundState.Queued),
                    notify = recipient.DsnNotify,
                    orcpt = recipient.DsnOrcpt,
                },
                tx,
                cancellationToken: ct)).ConfigureAwait(false);
        }

        return queueId;
    }

    internal static string StateName(OutboundState state) => state.ToString().ToLowerInvariant();

    private static OutboundState ParseState(string state) => Enum.Parse<OutboundState>(state, ignoreCase: true);

    /// <summary>Entries and their recipients. <paramref name="recipientsWhere"/>, when given, selects the same entries'
    /// recipients in one statement (with the same parameters) instead of by lists of ids.</summary>
    private async Task<IReadOnlyList<QueuedMessage>> QueryAsync(string sql, object parameters, CancellationToken ct, string? recipientsWhere = null)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = (await connection.QueryAsync<QueueRow>(new CommandDefinition(sql, parameters, cancellationToken: ct)).ConfigureAwait(false)).ToList();
        if (rows.Count == 0)
        {
            return [];
        }

        var recipients = new List<QueueRecipientRow>();
        if (recipientsWhere is not null)
        {
            recipients.AddRange(await connection.QueryAsync<QueueRecipientRow>(new CommandDefinition(
                $"SELECT {RecipientColumns} FROM outbound_recipients WHERE {recipientsWhere} ORDER BY id", parameters, cancellationToken: ct)).ConfigureAwait(false));
        }
        else
        {
            foreach (var chunk in rows.Select(r => r.Id).Chunk(500))
            {
                recipients.AddRange(await connection.QueryAsync<QueueRecipientRow>(new CommandDefinition(
                    $"SELECT {RecipientColumns} FROM outbound_recipients WHERE {db.Dialect.In("queue_id", "chunk")} ORDER BY id",
                    new { chunk }, cancellationToken: ct)).ConfigureAwait(false));
            }
        }

        var byQueue = recipients.ToLookup(r => r.QueueId);
        return [.. rows.Select(r => new QueuedMessage(
            r.Id,
            r.BlobHash,
            r.Size,
            r.EnvelopeSender,
            r.AccountId,
            r.DsnRet,
            r.DsnEnvId,
            ParseState(r.State),
            (int)r.Attempts,
            Rows.Time(r.CreatedAt),
            Rows.Time(r.NextAttemptAt),
            r.LastError,
            [.. byQueue[r.Id].Select(x => new QueuedRecipient(x.Id, x.Address, ParseState(x.State), x.DsnNotify, x.DsnOrcpt, x.LastError)
            {
                Attempts = (int)x.Attempts,
                Status = x.Status,
                RemoteMta = x.RemoteMta,
                UpdatedAt = x.UpdatedAt is { } u ? Rows.Time(u) : null,
            })])
        {
            Verp = r.Verp != 0,
            DelayNotified = r.DelayNotified != 0,
            LeaseOwner = r.LeaseOwner,
            LeaseUntil = r.LeaseUntil is { } l ? Rows.Time(l) : null,
        })];
    }
}
