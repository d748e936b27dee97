using System.Data.Common;
using Dapper;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// Subscriptions per list, each change written together with its consent record in one transaction.
/// A suppressed address is never made subscribed or unconfirmed.
/// </summary>
public sealed class SubscriptionStore(Database db)
{
    private const string Select = """
        SELECT s.contact_id AS ContactId, c.email AS Email, s.list_id AS ListId, l.name AS ListName, s.status AS Status,
               s.created_at AS CreatedAt, s.updated_at AS UpdatedAt
        FROM subscriptions s JOIN contacts c ON c.id = s.contact_id JOIN lists l ON l.id = s.list_id
        """;

    public async Task<Subscription> SetAsync(long contactId, long listId, SubscriptionStatus status, ConsentEvidence evidence, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var (email, language) = await connection.QuerySingleOrDefaultAsync<(string Email, string? Language)?>(new CommandDefinition(
            "SELECT email, language FROM contacts WHERE id = @contactId", new { contactId }, tx, cancellationToken: ct)).ConfigureAwait(false)
            ?? throw new NotFoundException($"contact {contactId} does not exist");
        var list = await connection.QuerySingleOrDefaultAsync<(string Name, string ConsentText)?>(new CommandDefinition(
            "SELECT name, consent_text FROM lists WHERE id = @listId", new { listId }, tx, cancellationToken: ct)).ConfigureAwait(false)
            ?? throw new NotFoundException($"list {listId} does not exist");
        // The text the person agreed to in their language when the list has no text of its own (the API, the operator).
        var consentText = MailingList.ConsentTextIn(list.Name, list.ConsentText, language);
        if (status is SubscriptionStatus.Subscribed or SubscriptionStatus.Unconfirmed
            && await Suppressions.FindReasonAsync(connection, tx, email, ct).ConfigureAwait(false) is { } reason)
        {
            throw new ConflictException($"{email} is suppressed ({SuppressionReasons.Name(reason)}) and cannot be subscribed");
        }

        if (status is SubscriptionStatus.Subscribed or SubscriptionStatus.Unconfirmed && evidence.ConsentText is null)
        {
            evidence = evidence with { ConsentText = consentText };
        }

        await WriteAsync(connection, tx, contactId, listId, status, evidence, AudienceSql.Now(db), ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return (await GetAsync(contactId, listId, ct).ConfigureAwait(false))!;
    }

    public async Task<Subscription?> GetAsync(long contactId, long listId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition(
            $"{Select} WHERE s.contact_id = @contactId AND s.list_id = @listId", new { contactId, listId }, cancellationToken: ct)).ConfigureAwait(false);
        return row?.ToSubscription();
    }

    /// <summary>A page of a list's subscriptions in contact id order, optionally of one status.</summary>
    public async Task<IReadOnlyList<Subscription>> ListAsync(long listId, SubscriptionStatus? status, long afterContactId, int limit, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE s.list_id = @listId AND (@status IS NULL OR s.status = @status) AND s.contact_id > @afterContactId ORDER BY s.contact_id LIMIT @limit",
            new { listId, status = status is { } s ? SubscriptionStatuses.Name(s) : null, afterContactId, limit = (long)limit }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToSubscription())];
    }

    public async Task<IReadOnlyList<Subscription>> ForContactAsync(long contactId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition(
            $"{Select} WHERE s.contact_id = @contactId ORDER BY l.name", new { contactId }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToSubscription())];
    }

    /// <summary>
    /// The contact's consent records, oldest first: its own, and the one its import wrote for the job and list, which
    /// a subscription created by an import names (see <see cref="KeepImportConsentAsync"/>).
    /// </summary>
    public async Task<IReadOnlyList<ConsentRecord>> HistoryAsync(long contactId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<ConsentRow>(new CommandDefinition(
            """
            SELECT r.id AS Id, @contactId AS ContactId, r.list_id AS ListId, l.name AS ListName, r.status AS Status, r.source_kind AS SourceKind,
                   r.source AS Source, r.ip AS Ip, r.user_agent AS UserAgent, r.consent_text AS ConsentText, r.created_at AS CreatedAt
            FROM consent_records r LEFT JOIN lists l ON l.id = r.list_id WHERE r.contact_id = @contactId
            UNION ALL
            SELECT r.id, @contactId, r.list_id, l.name, r.status, r.source_kind, r.source, r.ip, r.user_agent, r.consent_text, r.created_at
            FROM subscriptions s JOIN consent_records r ON r.id = s.consent_record_id LEFT JOIN lists l ON l.id = r.list_id
            WHERE s.contact_id = @contactId
            ORDER BY CreatedAt, Id
            """, new { contactId }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => new ConsentRecord(
            r.Id, r.ContactId, r.ListId, r.ListName, SubscriptionStatuses.Parse(r.Status),
            new ConsentEvidence(Enum.Parse<ConsentSourceKind>(r.SourceKind, ignoreCase: true), r.Source, r.Ip, r.UserAgent, r.ConsentText),
            AudienceSql.Time(r.CreatedAt)))];
    }

    /// <summary>Unsubscribes the contact from every list it is subscribed to (or waiting to confirm).</summary>
    public async Task<int> UnsubscribeAllAsync(long contactId, ConsentEvidence evidence, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var lists = (await connection.QueryAsync<long>(new CommandDefinition(
            "SELECT list_id FROM subscriptions WHERE contact_id = @contactId AND status IN ('subscribed', 'unconfirmed')", new { contactId }, tx, cancellationToken: ct)).ConfigureAwait(false)).ToList();
        var now = AudienceSql.Now(db);
        foreach (var listId in lists)
        {
            await WriteAsync(connection, tx, contactId, listId, SubscriptionStatus.Unsubscribed, evidence, now, ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return lists.Count;
    }

    /// <summary>Sets the status (no-op when it is already that) and appends the consent record.</summary>
    internal static async Task<bool> WriteAsync(DbConnection connection, DbTransaction tx, long contactId, long listId, SubscriptionStatus status, ConsentEvidence evidence, long now, CancellationToken ct)
    {
        var name = SubscriptionStatuses.Name(status);
        var current = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT status FROM subscriptions WHERE contact_id = @contactId AND list_id = @listId", new { contactId, listId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (current == name) return false;
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO subscriptions (contact_id, list_id, status, created_at, updated_at) VALUES (@contactId, @listId, @name, @now, @now)
            ON CONFLICT (contact_id, list_id) DO UPDATE SET status = excluded.status, updated_at = excluded.updated_at
            """, new { contactId, listId, name, now }, tx, cancellationToken: ct)).ConfigureAwait(false);
        await InsertRecordAsync(connection, tx, contactId, listId, name, evidence, now, ct).ConfigureAwait(false);
        return true;
    }

    internal static Task InsertRecordAsync(DbConnection connection, DbTransaction tx, long contactId, long? listId, string status, ConsentEvidence evidence, long now, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO consent_records (contact_id, list_id, status, source_kind, source, ip, user_agent, consent_text, created_at)
            VALUES (@contactId, @listId, @status, @kind, @source, @ip, @userAgent, @text, @now)
            """,
            new
            {
                contactId, listId, status, kind = ConsentEvidence.KindName(evidence.Kind), source = evidence.Source,
                ip = evidence.Ip, userAgent = Truncate(evidence.UserAgent, 500), text = evidence.ConsentText, now,
            }, tx, cancellationToken: ct));

    /// <summary>
    /// Before subscriptions are deleted (with their list, or when their confirmation expires), the import consent
    /// record each of them names is copied into a record of the contact's own, as it would have been written one per
    /// subscriber, so the contact's history keeps it. <paramref name="where"/> selects subscriptions <c>s</c>.
    /// </summary>
    internal static Task<int> KeepImportConsentAsync(DbConnection connection, DbTransaction tx, string where, object parameters, CancellationToken ct) =>
        connection.ExecuteAsync(new CommandDefinition(
            $"""
            INSERT INTO consent_records (contact_id, list_id, status, source_kind, source, ip, user_agent, consent_text, created_at)
            SELECT s.contact_id, r.list_id, r.status, r.source_kind, r.source, r.ip, r.user_agent, r.consent_text, r.created_at
            FROM subscriptions s JOIN consent_records r ON r.id = s.consent_record_id
            WHERE {where}
            ORDER BY s.contact_id
            """, parameters, tx, commandTimeout: 0, cancellationToken: ct));

    private static string? Truncate(string? s, int max) => s is null || s.Length <= max ? s : s[..max];

    private sealed class Row
    {
        public long ContactId { get; set; }
        public string Email { get; set; } = "";
        public long ListId { get; set; }
        public string ListName { get; set; } = "";
        public string Status { get; set; } = "";
        public long CreatedAt { get; set; }
        public long UpdatedAt { get; set; }

        public Subscription ToSubscription() =>
            new(ContactId, Email, ListId, ListName, SubscriptionStatuses.Parse(Status), AudienceSql.Time(CreatedAt), AudienceSql.Time(UpdatedAt));
    }

    private sealed class ConsentRow
    {
        public long Id { get; set; }
        public long ContactId { get; set; }
        public long? ListId { get; set; }
        public string? ListName { get; set; }
        public string Status { get; set; } = "";
        public string SourceKind { get; set; } = "";
        public string Source { get; set; } = "";
        public string? Ip { get; set; }
        public string? UserAgent { get; set; }
        public string? ConsentText { get; set; }
        public long CreatedAt { get; set; }
    }
}
