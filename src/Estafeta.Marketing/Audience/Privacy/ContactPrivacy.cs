using System.Data.Common;
using System.Text.Json;
using Dapper;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// GDPR for one person, found by address: everything stored about them in one document (articles 15 and 20),
/// and erasure (article 17). Erasure removes the contact with its field values, tags, subscriptions, consent
/// records and engagement events, the rows of import reports that name the address and cached API answers that
/// contain it; it strips the address and diagnostic text from the outbound MTA's delivery log (whose counts per
/// destination the warm-up and statistics need); it keeps the SHA-256 of the address on the suppression list (reason <c>erased</c>, no address,
/// no note) so the person is never imported, subscribed or mailed again, and folds the events into per-day
/// totals without any link to the person (<see cref="EngagementTotals"/>).
/// </summary>
public sealed class ContactPrivacy(Database db, ContactStore contacts, TimeSpan? inFlightWait = null)
{
    /// <summary>What stands in the outbound delivery log for the address of an erased person.</summary>
    public const string ErasedAddress = "(erased)";

    /// <summary>Everything held about the address. Throws <see cref="NotFoundException"/> when nothing is held at all.</summary>
    public async Task<PersonalDataExport> ExportAsync(string email, CancellationToken ct = default)
    {
        var canonical = MailAddressCanonical.Address(email);
        var contact = await contacts.FindAsync(canonical, ct).ConfigureAwait(false);
        return await ExportAsync(canonical, contact, ct).ConfigureAwait(false)
            ?? throw new NotFoundException($"nothing is stored about {canonical}: no contact, suppression entry, import report row or sent mail");
    }

    /// <summary>Everything held about a contact.</summary>
    public async Task<PersonalDataExport> ExportAsync(long contactId, CancellationToken ct = default)
    {
        var contact = await contacts.GetAsync(contactId, ct).ConfigureAwait(false) ?? throw new NotFoundException($"contact {contactId} does not exist");
        return (await ExportAsync(contact.Email, contact, ct).ConfigureAwait(false))!;
    }

    private async Task<PersonalDataExport?> ExportAsync(string canonical, Contact? contact, CancellationToken ct)
    {
        var subscriptions = new SubscriptionStore(db);
        var fields = contact is null ? [] : await CustomFieldsAsync(contact, ct).ConfigureAwait(false);
        var consent = contact is null ? [] : await subscriptions.HistoryAsync(contact.Id, ct).ConfigureAwait(false);
        var subs = contact is null ? [] : await subscriptions.ForContactAsync(contact.Id, ct).ConfigureAwait(false);
        var events = contact is null ? [] : await new EngagementStore(db).ForContactAsync(contact.Id, ct).ConfigureAwait(false);

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var hash = Suppressions.Hash(canonical);
        var suppression = await connection.QuerySingleOrDefaultAsync<SuppressionRow>(new CommandDefinition(
            "SELECT email AS Email, reason AS Reason, note AS Note, created_at AS CreatedAt FROM suppressions WHERE email_hash = @hash",
            new { hash }, cancellationToken: ct)).ConfigureAwait(false);
        var imports = (await connection.QueryAsync<ImportRowRow>(new CommandDefinition(
            """
            SELECT r.job_id AS JobId, j.file_name AS FileName, r.row_number AS RowNumber, r.email AS Email, r.outcome AS Outcome, r.reason AS Reason, j.created_at AS ImportedAt
            FROM import_rows r JOIN import_jobs j ON j.id = r.job_id
            WHERE r.email IS NOT NULL AND LOWER(TRIM(r.email)) = LOWER(@canonical)
            ORDER BY r.job_id, r.row_number
            """, new { canonical }, cancellationToken: ct)).ConfigureAwait(false)).ToList();

        var deliveries = await new OutboundEventStore(db).ListAsync(canonical, limit: 10_000, ct: ct).ConfigureAwait(false);

        if (contact is null && suppression is null && imports.Count == 0 && deliveries.Count == 0) return null;
        return new PersonalDataExport(
            canonical,
            db.Time.GetUtcNow(),
            contact,
            fields,
            subs,
            consent,
            events,
            suppression is null ? null : new PersonalSuppression(SuppressionReasons.Parse(suppression.Reason), suppression.Email is not null, hash, suppression.Note, AudienceSql.Time(suppression.CreatedAt)),
            contact?.Validation,
            [.. imports.Select(i => new PersonalImportRow(i.JobId, i.FileName, i.RowNumber, i.Email, i.Outcome, i.Reason, AudienceSql.Time(i.ImportedAt)))],
            [.. deliveries.Select(d => new PersonalDelivery(d.At, d.Kind, d.Source, d.BounceClass, d.Status, d.Detail, d.Sender, d.Destination, d.MessageId))]);
    }

    private async Task<IReadOnlyList<PersonalField>> CustomFieldsAsync(Contact contact, CancellationToken ct)
    {
        var definitions = (await new FieldStore(db).ListAsync(ct).ConfigureAwait(false)).ToDictionary(f => f.Name, StringComparer.Ordinal);
        return [.. contact.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new PersonalField(
            f.Key, definitions.TryGetValue(f.Key, out var d) ? FieldTypes.Name(d.Type) : "text", f.Value))];
    }

    /// <summary>Erases the contact with this id (see <see cref="EraseAsync(string, CancellationToken)"/>).</summary>
    public async Task<ErasureResult> EraseAsync(long contactId, CancellationToken ct = default)
    {
        var contact = await contacts.GetAsync(contactId, ct).ConfigureAwait(false) ?? throw new NotFoundException($"contact {contactId} does not exist");
        return await EraseAsync(contact.Email, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Erases everything about the address in one transaction and leaves its hash on the suppression list. Also
    /// when nothing else is held (the person is then never mailed), and again for an address already erased
    /// (<see cref="ErasureResult.AlreadyErased"/>): erasure is idempotent.
    /// </summary>
    public async Task<ErasureResult> EraseAsync(string email, CancellationToken ct = default)
    {
        var canonical = MailAddressCanonical.Address(email);
        var waiting = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var (result, queue) = await TryEraseAsync(canonical, ct).ConfigureAwait(false);
            if (result is not null)
            {
                await new OutboundQueueStore(db).DeleteFreedBlobsAsync(queue.FreedBlobs).ConfigureAwait(false);
                return result;
            }

            if (waiting.Elapsed > (inFlightWait ?? InFlightWait))
            {
                throw new ConflictException(
                    $"mail to this address is being delivered right now ({queue.InFlight} queued message(s)); nothing was erased. Try again in a minute.");
            }

            // Real time, whatever clock the database is given: the wait is for another part of this process.
            await Task.Delay(InFlightPoll, ct).ConfigureAwait(false);
        }
    }

    /// <summary>How long an erasure waits, by default, for deliveries to the address that are under way to be recorded.</summary>
    public static readonly TimeSpan InFlightWait = TimeSpan.FromSeconds(30);

    private static readonly TimeSpan InFlightPoll = TimeSpan.FromMilliseconds(200);

    /// <summary>One attempt in one transaction; no result (and nothing changed) when the outbound queue has a
    /// delivery to the address in flight.</summary>
    private async Task<(ErasureResult?, QueueErasure)> TryEraseAsync(string canonical, CancellationToken ct)
    {
        var hash = Suppressions.Hash(canonical);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var already = await Suppressions.FindReasonAsync(connection, tx, canonical, ct).ConfigureAwait(false) == SuppressionReason.Erased;
        var contactId = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM contacts WHERE email = @canonical", new { canonical }, tx, cancellationToken: ct)).ConfigureAwait(false);

        long subscriptions = 0, consentRecords = 0, events = 0, tags = 0, values = 0;
        if (contactId is { } id)
        {
            subscriptions = await CountAsync(connection, tx, "subscriptions", id, ct).ConfigureAwait(false);
            // The contact's own records, and the import records its subscriptions name (those stay: they name no one).
            consentRecords = await CountAsync(connection, tx, "consent_records", id, ct).ConfigureAwait(false)
                + await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                    "SELECT COUNT(*) FROM subscriptions WHERE contact_id = @id AND consent_record_id IS NOT NULL", new { id }, tx, cancellationToken: ct)).ConfigureAwait(false);
            events = await CountAsync(connection, tx, "engagement_events", id, ct).ConfigureAwait(false);
            tags = await CountAsync(connection, tx, "contact_tags", id, ct).ConfigureAwait(false);
            values = FieldJson.Count(await connection.QuerySingleAsync<string?>(new CommandDefinition(
                "SELECT fields FROM contacts WHERE id = @id", new { id }, tx, cancellationToken: ct)).ConfigureAwait(false));
            await EngagementTotals.FoldAsync(connection, tx, id, ct).ConfigureAwait(false);
        }

        await new SuppressionStore(db).AddAsync(connection, tx, canonical, SuppressionReason.Erased, null, new ConsentEvidence(ConsentSourceKind.System, "erasure"), ct).ConfigureAwait(false);
        // A suppression entry that named the address (or carried a note about the person) keeps only the hash.
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE suppressions SET email = NULL, note = NULL, reason = 'erased' WHERE email_hash = @hash", new { hash }, tx, cancellationToken: ct)).ConfigureAwait(false);
        var importRows = await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM import_rows WHERE email IS NOT NULL AND LOWER(TRIM(email)) = LOWER(@canonical)", new { canonical }, tx, cancellationToken: ct)).ConfigureAwait(false);
        var cached = 0;
        foreach (var form in CachedForms(canonical))
        {
            cached += await connection.ExecuteAsync(new CommandDefinition(
                $"DELETE FROM idempotency_keys WHERE {Contains(db, "body", "form")}", new { form }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }

        // Queued mail to the person is cancelled: nothing more is sent to an erased address.
        var queue = await OutboundQueueStore.CancelForErasedAddressAsync(connection, tx, db, canonical, ct).ConfigureAwait(false);
        if (queue.InFlight > 0)
        {
            await tx.RollbackAsync(ct).ConfigureAwait(false);
            return (null, queue);
        }

        var deliveryEvents = await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE outbound_events SET address = '{ErasedAddress}', detail = NULL WHERE address = @canonical", new { canonical }, tx, cancellationToken: ct)).ConfigureAwait(false);

        if (contactId is { } gone)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM contacts WHERE id = @gone", new { gone }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        var nothingFound = already && contactId is null && importRows == 0 && cached == 0 && deliveryEvents == 0 && queue.CancelledRecipients == 0;
        return (new ErasureResult(hash, contactId, nothingFound,
            subscriptions, consentRecords, events, tags, values, importRows, cached, deliveryEvents, queue.CancelledRecipients), queue);
    }

    private static Task<long> CountAsync(DbConnection connection, DbTransaction tx, string table, long contactId, CancellationToken ct) =>
        connection.ExecuteScalarAsync<long>(new CommandDefinition(
            $"SELECT COUNT(*) FROM {table} WHERE contact_id = @contactId", new { contactId }, tx, cancellationToken: ct));

    /// <summary>How the address can appear inside a stored JSON answer: as is; as the API writes it
    /// (<see cref="JsonLetters"/>: letters as themselves, the characters HTML reads such as + escaped); and with everything
    /// outside ASCII escaped too (\uXXXX), as answers were written before.</summary>
    private static IEnumerable<string> CachedForms(string canonical) =>
        new[] { canonical, JsonSerializer.Serialize(canonical, JsonLetters.Options)[1..^1], JsonSerializer.Serialize(canonical)[1..^1] }.Distinct(StringComparer.Ordinal);

    private static string Contains(Database db, string column, string parameter) => db.Kind == DatabaseKind.Sqlite
        ? $"instr({column}, @{parameter}) > 0"
        : $"strpos({column}, @{parameter}) > 0";

    private sealed class SuppressionRow
    {
        public string? Email { get; set; }
        public string Reason { get; set; } = "";
        public string? Note { get; set; }
        public long CreatedAt { get; set; }
    }

    private sealed class ImportRowRow
    {
        public long JobId { get; set; }
        public string FileName { get; set; } = "";
        public long RowNumber { get; set; }
        public string? Email { get; set; }
        public string Outcome { get; set; } = "";
        public string Reason { get; set; } = "";
        public long ImportedAt { get; set; }
    }
}
