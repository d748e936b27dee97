using Dapper;

namespace Estafeta.Storage;

/// <summary>What operators do to the queue (the <c>estafeta queue</c> verbs): filter, hold, release, retry, count.</summary>
public sealed partial class OutboundQueueStore
{
    /// <summary>Entries matching <paramref name="filter"/>, oldest first.</summary>
    public async Task<IReadOnlyList<QueuedMessage>> ListAsync(QueueFilter filter, CancellationToken ct = default)
    {
        var where = new List<string>();
        var p = new DynamicParameters();
        if (filter.State is { } state)
        {
            where.Add("state = @state");
            p.Add("state", StateName(state));
        }

        if (filter.OlderThan is { } age)
        {
            where.Add("created_at <= @before");
            p.Add("before", db.NowMilliseconds() - (long)age.TotalMilliseconds);
        }

        if (filter.RecipientDomain is { Length: > 0 } domain)
        {
            where.Add("id IN (SELECT queue_id FROM outbound_recipients WHERE address LIKE @domain)");
            p.Add("domain", "%@" + domain.Trim().TrimStart('@').ToLowerInvariant());
        }

        p.Add("limit", (long)filter.Limit);
        var sql = $"SELECT {QueueColumns} FROM outbound_queue {(where.Count == 0 ? "" : "WHERE " + string.Join(" AND ", where))} ORDER BY id LIMIT @limit";
        return await QueryAsync(sql, p, ct).ConfigureAwait(false);
    }

    /// <summary>Holds an entry: the MTA leaves it alone until <see cref="ReleaseAsync"/>.</summary>
    public Task HoldAsync(long id, CancellationToken ct = default) =>
        SetStateAsync(id, OutboundState.Held, OutboundState.Queued, ct);

    /// <summary>Releases a held entry; it is due at once.</summary>
    public Task ReleaseAsync(long id, CancellationToken ct = default) =>
        SetStateAsync(id, OutboundState.Queued, OutboundState.Held, ct);

    /// <summary>Makes one entry (or, with null, every queued entry) due now; returns how many.</summary>
    public async Task<int> RetryNowAsync(long? id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbound_queue SET next_attempt_at = @now WHERE state = @state AND (@id IS NULL OR id = @id)",
            new { now = db.NowMilliseconds(), state = StateName(OutboundState.Queued), id }, cancellationToken: ct)).ConfigureAwait(false);
        if (id is not null && changed == 0 && await GetAsync(id.Value, ct).ConfigureAwait(false) is null)
        {
            throw new NotFoundException($"queue entry {id} does not exist");
        }

        return changed;
    }

    /// <summary>Queue size (entries and recipients still to deliver) and the creation time of the oldest entry.</summary>
    public async Task<(long Messages, long Recipients, DateTimeOffset? Oldest)> SizeAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var messages = await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM outbound_queue", cancellationToken: ct)).ConfigureAwait(false);
        var recipients = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM outbound_recipients WHERE state = @state", new { state = StateName(OutboundState.Queued) }, cancellationToken: ct)).ConfigureAwait(false);
        var oldest = await connection.ExecuteScalarAsync<long?>(new CommandDefinition("SELECT MIN(created_at) FROM outbound_queue", cancellationToken: ct)).ConfigureAwait(false);
        return (messages, recipients, oldest is { } o ? Rows.Time(o) : null);
    }

    private async Task SetStateAsync(long id, OutboundState to, OutboundState from, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE outbound_queue SET state = @to, next_attempt_at = @now WHERE id = @id AND state = @from",
            new { to = StateName(to), from = StateName(from), id, now = db.NowMilliseconds() }, cancellationToken: ct)).ConfigureAwait(false);
        if (changed == 0)
        {
            var entry = await GetAsync(id, ct).ConfigureAwait(false)
                ?? throw new NotFoundException($"queue entry {id} does not exist");
            if (entry.State != to)
            {
                throw new ConflictException($"queue entry {id} is {StateName(entry.State)}, not {StateName(from)}");
            }
        }
    }
}
