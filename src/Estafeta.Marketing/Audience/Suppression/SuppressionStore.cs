using Dapper;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// The global suppression list. Adding an address also moves the contact's subscriptions (unsubscribed,
/// bounced or complained, with a consent record each); no list, import or send will mail it again.
/// </summary>
public sealed class SuppressionStore(Database db)
{
    public async Task<SuppressionEntry> AddAsync(string email, SuppressionReason reason, string? note, ConsentEvidence evidence, CancellationToken ct = default)
    {
        var canonical = MailAddressCanonical.Address(email);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var entry = await AddAsync(connection, tx, canonical, reason, note, evidence, ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return entry;
    }

    internal async Task<SuppressionEntry> AddAsync(System.Data.Common.DbConnection connection, System.Data.Common.DbTransaction tx, string canonical, SuppressionReason reason, string? note, ConsentEvidence evidence, CancellationToken ct)
    {
        var now = AudienceSql.Now(db);
        var hash = Suppressions.Hash(canonical);
        var stored = reason == SuppressionReason.Erased ? null : canonical;
        // An erased entry is never turned back into one that names the address.
        var id = await connection.ExecuteScalarAsync<long?>(new CommandDefinition(
            """
            INSERT INTO suppressions (email_hash, email, reason, note, created_at) VALUES (@hash, @stored, @reason, @note, @now)
            ON CONFLICT (email_hash) DO UPDATE SET reason = excluded.reason, note = COALESCE(excluded.note, suppressions.note), email = excluded.email
            WHERE suppressions.reason <> 'erased'
            RETURNING id
            """,
            new { hash, stored, reason = SuppressionReasons.Name(reason), note, now }, tx, cancellationToken: ct)).ConfigureAwait(false)
            ?? await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                "SELECT id FROM suppressions WHERE email_hash = @hash", new { hash }, tx, cancellationToken: ct)).ConfigureAwait(false);

        var status = reason switch
        {
            SuppressionReason.HardBounce => SubscriptionStatus.Bounced,
            SuppressionReason.Complaint => SubscriptionStatus.Complained,
            SuppressionReason.Manual => (SubscriptionStatus?)null,
            _ => SubscriptionStatus.Unsubscribed,
        };
        var contactId = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM contacts WHERE email = @canonical", new { canonical }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (status is { } s && contactId is { } cid && reason != SuppressionReason.Erased)
        {
            var lists = await connection.QueryAsync<long>(new CommandDefinition(
                "SELECT list_id FROM subscriptions WHERE contact_id = @cid AND status IN ('subscribed', 'unconfirmed')", new { cid }, tx, cancellationToken: ct)).ConfigureAwait(false);
            foreach (var listId in lists)
            {
                await SubscriptionStore.WriteAsync(connection, tx, cid, listId, s, evidence, now, ct).ConfigureAwait(false);
            }
        }

        return new SuppressionEntry(id, stored, hash, reason, note, AudienceSql.Time(now));
    }

    public async Task<SuppressionReason?> ReasonAsync(string email, CancellationToken ct = default)
    {
        var canonical = MailAddressCanonical.Address(email);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        return await Suppressions.FindReasonAsync(connection, null, canonical, ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<SuppressionEntry>> ListAsync(long afterId, int limit, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            "SELECT id AS Id, email AS Email, email_hash AS Hash, reason AS Reason, note AS Note, created_at AS CreatedAt FROM suppressions WHERE id > @afterId ORDER BY id LIMIT @limit",
            new { afterId, limit = (long)limit }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => new SuppressionEntry(r.Id, r.Email, r.Hash, SuppressionReasons.Parse(r.Reason), r.Note, AudienceSql.Time(r.CreatedAt)))];
    }

    /// <summary>Lifts a suppression. Entries of erased contacts stay: the person asked never to be contacted again.</summary>
    public async Task RemoveAsync(string email, CancellationToken ct = default)
    {
        var canonical = MailAddressCanonical.Address(email);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var reason = await Suppressions.FindReasonAsync(connection, null, canonical, ct).ConfigureAwait(false)
            ?? throw new NotFoundException($"{canonical} is not suppressed");
        if (reason == SuppressionReason.Erased) throw new ConflictException($"{canonical} was erased at the person's request; that suppression cannot be lifted");
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM suppressions WHERE email_hash = @hash", new { hash = Suppressions.Hash(canonical) }, cancellationToken: ct)).ConfigureAwait(false);
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public string? Email { get; set; }
        public string Hash { get; set; } = "";
        public string Reason { get; set; } = "";
        public string? Note { get; set; }
        public long CreatedAt { get; set; }
    }
}
