using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Dapper;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// Contacts with their custom field values (one JSON object on the contact's row, see <see cref="FieldJson"/>) and
/// tags. Addresses are checked by the validator before they are stored.
/// </summary>
public sealed class ContactStore(Database db, AddressValidator validator)
{
    internal const string Columns =
        "id AS Id, email AS Email, name AS Name, language AS Language, time_zone AS TimeZone, validation AS Validation, " +
        "validation_detail AS ValidationDetail, paused_until AS PausedUntil, created_at AS CreatedAt, updated_at AS UpdatedAt, fields AS Fields";

    public Database Database => db;

    /// <summary>Creates the contact or updates the one with the same address. Invalid and erased addresses are refused.</summary>
    public async Task<(Contact Contact, bool Created)> UpsertAsync(ContactInput input, CancellationToken ct = default)
    {
        try
        {
            return await UpsertOnceAsync(input, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            // On PostgreSQL another writer (an import, another API call) can insert the address between this one's
            // look-up and its insert: the address has a contact now, and a second try updates it.
            return await UpsertOnceAsync(input, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Creates or updates the contact with the input's address; with <paramref name="contactId"/>, updates that
    /// contact, its address included, in the same transaction as the rest.</summary>
    private async Task<(Contact Contact, bool Created)> UpsertOnceAsync(ContactInput input, CancellationToken ct, long? contactId = null)
    {
        var validation = await validator.ValidateAsync(input.Email, ct).ConfigureAwait(false);
        if (validation.Verdict == AddressVerdict.Invalid)
        {
            throw new InvalidInputException($"'{input.Email}' cannot be mailed: {validation.Describe()}");
        }

        var email = validation.Canonical!;
        var language = ContactRules.Language(input.Language);
        var timeZone = ContactRules.TimeZone(input.TimeZone);
        var name = ContactRules.Name(input.Name);
        var tags = ContactRules.Tags(input.Tags ?? []);
        var removeTags = ContactRules.Tags(input.RemoveTags ?? []);
        if (input.Fields is { Count: > FieldValues.MaxFieldsPerChange }) throw new InvalidInputException($"at most {FieldValues.MaxFieldsPerChange} custom fields at a time, not {input.Fields.Count}");
        var fieldInput = (input.Fields ?? new Dictionary<string, string?>()).ToDictionary(kv => FieldValues.NormalizeName(kv.Key), kv => kv.Value, StringComparer.Ordinal);

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        if (await Suppressions.FindReasonAsync(connection, tx, email, ct).ConfigureAwait(false) == SuppressionReason.Erased)
        {
            throw new ConflictException($"{email} was erased at the person's request and may not be added again");
        }

        var now = AudienceSql.Now(db);
        var existing = contactId ?? await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM contacts WHERE email = @email", new { email }, tx, cancellationToken: ct)).ConfigureAwait(false);
        var detail = ValidationDetail(validation);
        long id;
        if (existing is { } found)
        {
            id = found;
            try
            {
                var changed = await connection.ExecuteAsync(new CommandDefinition(
                    """
                    UPDATE contacts SET email = @email, name = COALESCE(@name, name), language = COALESCE(@language, language),
                        time_zone = COALESCE(@timeZone, time_zone), validation = @verdict, validation_detail = @detail, updated_at = @now
                    WHERE id = @id
                    """,
                    new { id, email, name, language, timeZone, verdict = AddressValidation.VerdictName(validation.Verdict), detail, now }, tx, cancellationToken: ct)).ConfigureAwait(false);
                if (changed == 0) throw new NotFoundException($"contact {id} does not exist");
            }
            catch (Exception e) when (contactId is not null && DatabaseErrors.IsUniqueViolation(e))
            {
                throw new ConflictException($"another contact has the address {email}", e);
            }
        }
        else
        {
            var (idColumn, idValue) = AudienceSql.NewId(db.Kind, "contacts");
            id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"""
                INSERT INTO contacts ({idColumn}email, name, language, time_zone, validation, validation_detail, created_at, updated_at)
                VALUES ({idValue}@email, @name, @language, @timeZone, @verdict, @detail, @now, @now) RETURNING id
                """,
                new { email, name, language, timeZone, verdict = AddressValidation.VerdictName(validation.Verdict), detail, now }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }

        await WriteFieldsAsync(connection, tx, id, fieldInput, now, ct).ConfigureAwait(false);
        foreach (var tag in tags)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "INSERT INTO contact_tags (contact_id, tag, tag_key) VALUES (@id, @tag, @key) ON CONFLICT DO NOTHING", new { id, tag, key = CaseFold.Of(tag) }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }

        foreach (var tag in removeTags)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "DELETE FROM contact_tags WHERE contact_id = @id AND tag_key = @key", new { id, key = CaseFold.Of(tag) }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return ((await LoadAsync(connection, null, [id], ct).ConfigureAwait(false))[0], existing is null);
    }

    /// <summary>Changes an existing contact (its address included); throws <see cref="NotFoundException"/> when there is none.</summary>
    public async Task<Contact> UpdateAsync(long id, ContactInput input, CancellationToken ct = default)
    {
        _ = await GetAsync(id, ct).ConfigureAwait(false) ?? throw new NotFoundException($"contact {id} does not exist");
        // The new address is written with the rest, in one transaction: written first and on its own, it stayed when the
        // rest was refused (an erased address, a language that is not one), so a 409 or 422 had changed the contact.
        var (contact, _) = await UpsertOnceAsync(input, ct, id).ConfigureAwait(false);
        return contact;
    }

    public async Task<Contact?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var found = await LoadAsync(connection, null, [id], ct).ConfigureAwait(false);
        return found.Count == 0 ? null : found[0];
    }

    public async Task<Contact?> FindAsync(string email, CancellationToken ct = default)
    {
        if (!MailAddressCanonical.TryAddress(email, out var canonical)) return null;
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var id = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM contacts WHERE email = @canonical", new { canonical }, cancellationToken: ct)).ConfigureAwait(false);
        return id is null ? null : (await LoadAsync(connection, null, [id.Value], ct).ConfigureAwait(false))[0];
    }

    /// <summary>The contact named by its id (digits) or its address, as the command line takes one; null when there is none.</summary>
    public Task<Contact?> FindByIdOrAddressAsync(string given, CancellationToken ct = default) =>
        long.TryParse(given.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? GetAsync(id, ct) : FindAsync(given.Trim(), ct);

    /// <summary>A page of contacts in id order after <paramref name="afterId"/>, optionally only those a segment selects.</summary>
    public async Task<IReadOnlyList<Contact>> ListAsync(long afterId, int limit, SegmentQuery? segment = null, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var parameters = new DynamicParameters(segment?.Parameters);
        parameters.Add("after", afterId);
        parameters.Add("limit", (long)limit);
        var where = segment is null ? "" : $" AND ({segment.Where})";
        var ids = await connection.QueryAsync<long>(new CommandDefinition(
            $"SELECT c.id FROM contacts c WHERE c.id > @after{where} ORDER BY c.id LIMIT @limit", parameters, cancellationToken: ct)).ConfigureAwait(false);
        return await LoadAsync(connection, null, [.. ids], ct).ConfigureAwait(false);
    }

    /// <summary>Sets or clears the pause of all sending to the contact (preference centre).</summary>
    public async Task PauseAsync(long id, DateTimeOffset? until, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var changed = await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE contacts SET paused_until = @until, updated_at = @now WHERE id = @id",
            new { id, until = until?.ToUnixTimeMilliseconds(), now = AudienceSql.Now(db) }, cancellationToken: ct)).ConfigureAwait(false);
        if (changed == 0) throw new NotFoundException($"contact {id} does not exist");
    }

    /// <summary>Loads contacts with fields and tags, in the order of <paramref name="ids"/>.</summary>
    internal async Task<IReadOnlyList<Contact>> LoadAsync(DbConnection connection, DbTransaction? tx, IReadOnlyList<long> ids, CancellationToken ct)
    {
        if (ids.Count == 0) return [];
        var list = ids.ToList();
        var rows = (await connection.QueryAsync<Row>(new CommandDefinition(
            $"SELECT {Columns} FROM contacts WHERE {AudienceSql.In(db, "id", "ids")}", new { ids = list }, tx, cancellationToken: ct)).ConfigureAwait(false))
            .ToDictionary(r => r.Id);
        var tags = await connection.QueryAsync<(long ContactId, string Tag)>(new CommandDefinition(
            $"SELECT contact_id, tag FROM contact_tags WHERE {AudienceSql.In(db, "contact_id", "ids")} ORDER BY tag", new { ids = list }, tx, cancellationToken: ct)).ConfigureAwait(false);
        var definitions = rows.Values.Any(r => r.Fields is not null)
            ? (await FieldStore.ListAsync(connection, tx, ct).ConfigureAwait(false)).ToDictionary(f => f.Name, StringComparer.Ordinal)
            : [];
        var tagsBy = tags.GroupBy(t => t.ContactId).ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.Select(t => t.Tag)]);
        var result = new List<Contact>(list.Count);
        foreach (var id in list)
        {
            if (!rows.TryGetValue(id, out var r)) continue;
            result.Add(new Contact(
                r.Id, r.Email, r.Name, r.Language, r.TimeZone,
                FieldJson.Present(r.Fields, definitions),
                tagsBy.GetValueOrDefault(r.Id) ?? [],
                ParseValidation(r.Validation, r.ValidationDetail),
                AudienceSql.Time(r.PausedUntil), AudienceSql.Time(r.CreatedAt), AudienceSql.Time(r.UpdatedAt)));
        }

        return result;
    }

    internal static async Task WriteFieldsAsync(DbConnection connection, DbTransaction tx, long contactId, IReadOnlyDictionary<string, string?> fields, long now, CancellationToken ct)
    {
        if (fields.Count == 0) return;
        var definitions = await FieldStore.EnsureAsync(connection, tx, fields.Keys, now, ct).ConfigureAwait(false);
        var changes = fields.Select(f => (definitions[f.Key], string.IsNullOrWhiteSpace(f.Value) ? (FieldValues.Stored?)null : FieldValues.Parse(definitions[f.Key], f.Value))).ToList();
        var current = await connection.QuerySingleAsync<string?>(new CommandDefinition(
            "SELECT fields FROM contacts WHERE id = @contactId", new { contactId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        var json = FieldJson.Merge(current, changes);
        var kind = connection is Microsoft.Data.Sqlite.SqliteConnection ? DatabaseKind.Sqlite : DatabaseKind.PostgreSql;
        await connection.ExecuteAsync(new CommandDefinition(
            $"UPDATE contacts SET fields = {AudienceSql.Json(kind, "@json")} WHERE id = @contactId", new { contactId, json }, tx, cancellationToken: ct)).ConfigureAwait(false);
    }

    internal static string ValidationDetail(AddressValidation v) =>
        JsonSerializer.Serialize(new ValidationJson { Flags = [.. v.Flags], Suggestion = v.Suggestion });

    private static ContactValidation? ParseValidation(string? verdict, string? detail)
    {
        if (verdict is null) return null;
        var parsed = detail is null ? null : JsonSerializer.Deserialize<ValidationJson>(detail);
        return new ContactValidation(verdict, parsed?.Flags ?? [], parsed?.Suggestion);
    }

    internal sealed class ValidationJson
    {
        public List<string> Flags { get; set; } = [];
        public string? Suggestion { get; set; }
    }

    internal sealed class Row
    {
        public long Id { get; set; }
        public string Email { get; set; } = "";
        public string? Name { get; set; }
        public string? Language { get; set; }
        public string? TimeZone { get; set; }
        public string? Validation { get; set; }
        public string? ValidationDetail { get; set; }
        public long? PausedUntil { get; set; }
        public long CreatedAt { get; set; }
        public long UpdatedAt { get; set; }
        public string? Fields { get; set; }
    }

}
