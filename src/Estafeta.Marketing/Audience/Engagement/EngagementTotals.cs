using System.Data.Common;
using Dapper;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// Engagement counted per kind (and per campaign): the events of the contacts on file plus those of erased
/// contacts, which erasure folds into per-day totals (<c>engagement_erased</c>) with no link to the person. So a
/// campaign's opens and clicks stay right after someone is erased.
/// </summary>
public sealed class EngagementTotals(Database db)
{
    private const long Day = 86_400_000;

    /// <summary>Events per kind, for one campaign or all, optionally since a time (counted by whole UTC days for erased contacts).</summary>
    public async Task<IReadOnlyDictionary<EngagementKind, long>> CountAsync(string? campaign, DateTimeOffset? since = null, CancellationToken ct = default)
    {
        var from = since?.ToUnixTimeMilliseconds() ?? long.MinValue;
        var fromDay = since is null ? long.MinValue : from - Mod(from, Day);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Kind, long Count)>(new CommandDefinition(
            """
            SELECT kind, CAST(SUM(n) AS BIGINT) FROM (
                SELECT kind, COUNT(*) AS n FROM engagement_events
                WHERE (@campaign IS NULL OR campaign = @campaign) AND occurred_at >= @from GROUP BY kind
                UNION ALL
                SELECT kind, SUM(events) AS n FROM engagement_erased
                WHERE (@campaign IS NULL OR campaign = @campaign) AND day >= @fromDay GROUP BY kind
            ) t GROUP BY kind
            """, new { campaign, from, fromDay }, cancellationToken: ct)).ConfigureAwait(false);
        var totals = Enum.GetValues<EngagementKind>().ToDictionary(k => k, _ => 0L);
        foreach (var (kind, count) in rows)
        {
            if (EngagementKinds.TryParse(kind, out var k)) totals[k] = count;
        }

        return totals;
    }

    /// <summary>Adds the contact's events to the per-day totals (inside the erasure's transaction; the events go with the contact).</summary>
    internal static Task FoldAsync(DbConnection connection, DbTransaction tx, long contactId, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO engagement_erased (campaign, kind, day, events)
            SELECT COALESCE(campaign, ''), kind, occurred_at - (occurred_at % 86400000), COUNT(*)
            FROM engagement_events WHERE contact_id = @contactId
            GROUP BY COALESCE(campaign, ''), kind, occurred_at - (occurred_at % 86400000)
            ON CONFLICT (campaign, kind, day) DO UPDATE SET events = engagement_erased.events + excluded.events
            """, new { contactId }, tx, cancellationToken: ct));

    private static long Mod(long a, long b) => ((a % b) + b) % b;
}
