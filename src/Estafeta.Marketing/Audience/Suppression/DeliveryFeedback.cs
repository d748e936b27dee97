using Dapper;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// Carries what the outbound MTA learnt into the audience: a hard bounce suppresses the address (reason
/// <c>hard-bounce</c>; its subscriptions become bounced), a complaint suppresses it (reason <c>complaint</c>; its
/// subscriptions become complained), and every bounce of a contact becomes a <c>bounced</c> engagement event for
/// segments. It reads the MTA's event log from the position it reached last time, kept in the same transaction as
/// the changes, so each event is applied once even across restarts.
/// </summary>
public sealed class DeliveryFeedback(Database db)
{
    private const string PositionName = "outbound_events";

    /// <summary>Events read per transaction.</summary>
    public int BatchSize { get; init; } = 500;

    /// <summary>Applies every event logged since the last pass; returns how many bounces and complaints were applied.</summary>
    public async Task<int> ApplyAsync(CancellationToken ct = default)
    {
        var applied = 0;
        while (true)
        {
            var (count, more) = await ApplyBatchAsync(ct).ConfigureAwait(false);
            applied += count;
            if (!more) return applied;
        }
    }

    private async Task<(int Applied, bool More)> ApplyBatchAsync(CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var position = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT position FROM audience_positions WHERE name = @PositionName", new { PositionName }, cancellationToken: ct)).ConfigureAwait(false) ?? 0;
        var rows = (await connection.QueryAsync<EventRow>(new CommandDefinition(
            """
            SELECT id AS Id, at AS At, kind AS Kind, bounce_class AS BounceClass, address AS Address, source AS Source, status AS Status
            FROM outbound_events WHERE id > @position ORDER BY id LIMIT @limit
            """, new { position, limit = (long)BatchSize }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
        if (rows.Count == 0) return (0, false);

        await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        // Another process may have applied this batch meanwhile: go on from where the stored position is now.
        var current = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            "SELECT position FROM audience_positions WHERE name = @PositionName", new { PositionName }, tx, cancellationToken: ct)).ConfigureAwait(false) ?? 0;
        if (current != position)
        {
            await tx.RollbackAsync(ct).ConfigureAwait(false);
            return (0, true);
        }

        var applied = 0;
        var suppressions = new SuppressionStore(db);
        foreach (var row in rows)
        {
            if (row.Kind is not ("bounced" or "complained") || !MailAddressCanonical.TryAddress(row.Address, out var address)) continue;
            var hard = row.Kind == "bounced" && row.BounceClass == "hard";
            if (row.Kind == "complained" || hard)
            {
                var reason = hard ? SuppressionReason.HardBounce : SuppressionReason.Complaint;
                var what = hard ? $"hard bounce{(row.Status is null ? "" : " " + row.Status)} ({row.Source})" : $"complaint ({row.Source})";
                await suppressions.AddAsync(connection, tx, address, reason, what, new ConsentEvidence(ConsentSourceKind.System, what), ct).ConfigureAwait(false);
                applied++;
            }

            if (row.Kind == "bounced")
            {
                await connection.ExecuteAsync(new CommandDefinition(
                    """
                    INSERT INTO engagement_events (contact_id, kind, campaign, occurred_at)
                    SELECT id, 'bounced', NULL, @at FROM contacts WHERE email = @address
                    """, new { at = row.At, address }, tx, cancellationToken: ct)).ConfigureAwait(false);
            }
        }

        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO audience_positions (name, position) VALUES (@PositionName, @last)
            ON CONFLICT (name) DO UPDATE SET position = excluded.position
            """, new { PositionName, last = rows[^1].Id }, tx, cancellationToken: ct)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return (applied, rows.Count == BatchSize);
    }

    private sealed class EventRow
    {
        public long Id { get; set; }
        public long At { get; set; }
        public string Kind { get; set; } = "";
        public string? BounceClass { get; set; }
        public string Address { get; set; } = "";
        public string Source { get; set; } = "";
        public string? Status { get; set; }
    }
}
