using Dapper;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>The engagement events of contacts (filled by sending and tracking; read by segments and the GDPR export).</summary>
public sealed class EngagementStore(Database db)
{
    public async Task RecordAsync(long contactId, EngagementKind kind, string? campaign, DateTimeOffset at, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "INSERT INTO engagement_events (contact_id, kind, campaign, occurred_at) VALUES (@contactId, @kind, @campaign, @at)",
            new { contactId, kind = EngagementKinds.Name(kind), campaign, at = at.ToUnixTimeMilliseconds() }, cancellationToken: ct)).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<EngagementEvent>> ForContactAsync(long contactId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<(string Kind, string? Campaign, long At)>(new CommandDefinition(
            "SELECT kind, campaign, occurred_at FROM engagement_events WHERE contact_id = @contactId ORDER BY occurred_at, id", new { contactId }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => new EngagementEvent(EngagementKinds.Parse(r.Kind), r.Campaign, AudienceSql.Time(r.At)))];
    }
}

public sealed record EngagementEvent(EngagementKind Kind, string? Campaign, DateTimeOffset At);
