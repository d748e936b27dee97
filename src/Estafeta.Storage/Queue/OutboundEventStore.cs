using System.Data.Common;
using Dapper;

namespace Estafeta.Storage;

/// <summary>
/// The outcomes of outbound mail (<see cref="OutboundEvent"/>): delivered, deferred, bounced, complained, per message
/// and recipient address. Append-only; the hygiene and analytics work reads it.
/// </summary>
public sealed class OutboundEventStore(Database db)
{
    private const string Columns =
        """
        id AS Id, at AS At, kind AS Kind, bounce_class AS BounceClass, queue_id AS QueueId, queued_at AS QueuedAt,
        recipient_id AS RecipientId, address AS Address, sender AS Sender, sending_domain AS SendingDomain,
        destination AS Destination, message_id AS MessageId, status AS Status, detail AS Detail, source AS Source
        """;

    /// <summary>The longest detail stored; a longer one is cut, never inside a surrogate pair.</summary>
    public const int MaxDetail = 1000;

    private static string? Detail(string? detail) =>
        detail is not { Length: > MaxDetail } d ? detail : d[..(char.IsHighSurrogate(d[MaxDetail - 1]) ? MaxDetail - 1 : MaxDetail)];

    public async Task RecordAsync(OutboundEvent e, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        await InsertAsync(connection, tx, [e], ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Events, newest first: of one address, of one queued message, or all.</summary>
    public async Task<IReadOnlyList<OutboundEvent>> ListAsync(string? address = null, long? queueId = null, int limit = 1000, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<EventRow>(new CommandDefinition(
            $"""
            SELECT {Columns} FROM outbound_events
            WHERE (@address IS NULL OR address = @address) AND (@queueId IS NULL OR queue_id = @queueId)
            ORDER BY id DESC LIMIT @limit
            """,
            new { address = address?.Trim().ToLowerInvariant(), queueId, limit = (long)limit }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(ToEvent)];
    }

    /// <summary>The first event recorded for one queued recipient (the delivery the bounce refers to), or null.</summary>
    public async Task<OutboundEvent?> FindSentAsync(long queueId, DateTimeOffset queuedAt, long recipientId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QueryFirstOrDefaultAsync<EventRow>(new CommandDefinition(
            $"SELECT {Columns} FROM outbound_events WHERE queue_id = @queueId AND recipient_id = @recipientId AND queued_at = @queuedAt ORDER BY id LIMIT 1",
            new { queueId, recipientId, queuedAt = queuedAt.ToUnixTimeMilliseconds() }, cancellationToken: ct)).ConfigureAwait(false);
        return row is null ? null : ToEvent(row);
    }

    /// <summary>The latest delivered event of a message by its Message-ID and recipient (to map a complaint back).</summary>
    public async Task<OutboundEvent?> FindByMessageIdAsync(string messageId, string? address, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QueryFirstOrDefaultAsync<EventRow>(new CommandDefinition(
            $"SELECT {Columns} FROM outbound_events WHERE message_id = @messageId AND (@address IS NULL OR address = @address) ORDER BY id DESC LIMIT 1",
            new { messageId, address = address?.Trim().ToLowerInvariant() }, cancellationToken: ct)).ConfigureAwait(false);
        return row is null ? null : ToEvent(row);
    }

    /// <summary>Recipients delivered from <paramref name="sendingDomain"/> since <paramref name="since"/> (warm-up caps).</summary>
    public async Task<long> CountDeliveredAsync(string sendingDomain, DateTimeOffset since, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM outbound_events WHERE sending_domain = @domain AND kind = @kind AND at >= @since AND source = @source",
            new { domain = sendingDomain, kind = "delivered", since = since.ToUnixTimeMilliseconds(), source = "smtp" }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Counts per destination and kind since <paramref name="since"/>.</summary>
    public async Task<IReadOnlyList<(string Destination, OutboundEventKind Kind, long Count)>> CountByDestinationAsync(DateTimeOffset since, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Destination, string Kind, long Count)>(new CommandDefinition(
            "SELECT destination, kind, COUNT(*) FROM outbound_events WHERE at >= @since GROUP BY destination, kind ORDER BY destination, kind",
            new { since = since.ToUnixTimeMilliseconds() }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => (r.Destination, Enum.Parse<OutboundEventKind>(r.Kind, true), r.Count))];
    }

    internal static async Task InsertAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<OutboundEvent> events, CancellationToken ct)
    {
        foreach (var e in events)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO outbound_events (at, kind, bounce_class, queue_id, queued_at, recipient_id, address, sender, sending_domain,
                                             destination, message_id, status, detail, source)
                VALUES (@at, @kind, @bounceClass, @queueId, @queuedAt, @recipientId, @address, @sender, @sendingDomain,
                        @destination, @messageId, @status, @detail, @source)
                """,
                new
                {
                    at = e.At.ToUnixTimeMilliseconds(),
                    kind = e.Kind.ToString().ToLowerInvariant(),
                    bounceClass = e.BounceClass,
                    queueId = e.QueueId,
                    queuedAt = e.QueuedAt?.ToUnixTimeMilliseconds(),
                    recipientId = e.RecipientId,
                    address = e.Address.Trim().ToLowerInvariant(),
                    sender = e.Sender,
                    sendingDomain = e.SendingDomain,
                    destination = e.Destination.ToLowerInvariant(),
                    messageId = e.MessageId,
                    status = e.Status,
                    detail = Detail(e.Detail),
                    source = e.Source,
                },
                tx, cancellationToken: ct)).ConfigureAwait(false);
        }
    }

    /// <summary>The same as <see cref="InsertAsync"/> for many rows: one prepared statement run once per row.</summary>
    internal static async Task InsertPreparedAsync(DbConnection connection, DbTransaction tx, IReadOnlyList<OutboundEvent> events, CancellationToken ct)
    {
        if (events.Count == 0)
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.Transaction = tx;
        command.CommandText =
            """
            INSERT INTO outbound_events (at, kind, bounce_class, queue_id, queued_at, recipient_id, address, sender, sending_domain,
                                         destination, message_id, status, detail, source)
            VALUES (@at, @kind, @bounceClass, @queueId, @queuedAt, @recipientId, @address, @sender, @sendingDomain,
                    @destination, @messageId, @status, @detail, @source)
            """;
        var p = new Dictionary<string, DbParameter>(StringComparer.Ordinal);
        foreach (var (name, type) in new[]
        {
            ("at", System.Data.DbType.Int64), ("kind", System.Data.DbType.String), ("bounceClass", System.Data.DbType.String),
            ("queueId", System.Data.DbType.Int64), ("queuedAt", System.Data.DbType.Int64), ("recipientId", System.Data.DbType.Int64),
            ("address", System.Data.DbType.String), ("sender", System.Data.DbType.String), ("sendingDomain", System.Data.DbType.String),
            ("destination", System.Data.DbType.String), ("messageId", System.Data.DbType.String), ("status", System.Data.DbType.String),
            ("detail", System.Data.DbType.String), ("source", System.Data.DbType.String),
        })
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = type;
            command.Parameters.Add(parameter);
            p[name] = parameter;
        }

        foreach (var e in events)
        {
            p["at"].Value = e.At.ToUnixTimeMilliseconds();
            p["kind"].Value = e.Kind.ToString().ToLowerInvariant();
            p["bounceClass"].Value = (object?)e.BounceClass ?? DBNull.Value;
            p["queueId"].Value = (object?)e.QueueId ?? DBNull.Value;
            p["queuedAt"].Value = (object?)e.QueuedAt?.ToUnixTimeMilliseconds() ?? DBNull.Value;
            p["recipientId"].Value = (object?)e.RecipientId ?? DBNull.Value;
            p["address"].Value = e.Address.Trim().ToLowerInvariant();
            p["sender"].Value = e.Sender;
            p["sendingDomain"].Value = e.SendingDomain;
            p["destination"].Value = e.Destination.ToLowerInvariant();
            p["messageId"].Value = (object?)e.MessageId ?? DBNull.Value;
            p["status"].Value = (object?)e.Status ?? DBNull.Value;
            p["detail"].Value = (object?)Detail(e.Detail) ?? DBNull.Value;
            p["source"].Value = e.Source;
            await command.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
    }

    private static OutboundEvent ToEvent(EventRow r) => new(
        Rows.Time(r.At),
        Enum.Parse<OutboundEventKind>(r.Kind, ignoreCase: true),
        r.Address,
        r.Sender,
        r.Destination,
        r.Source,
        r.BounceClass,
        r.QueueId,
        r.QueuedAt is { } q ? Rows.Time(q) : null,
        r.RecipientId,
        r.MessageId,
        r.Status,
        r.Detail)
    { Id = r.Id };
}
