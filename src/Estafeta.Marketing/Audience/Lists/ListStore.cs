using System.Globalization;
using Dapper;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>The mailing lists, with how many contacts each has in every subscription status.</summary>
public sealed class ListStore(Database db)
{
    private const string Columns =
        "id AS Id, name AS Name, description AS Description, double_opt_in AS DoubleOptIn, from_address AS FromAddress, consent_text AS ConsentText, created_at AS CreatedAt";

    public async Task<MailingList> AddAsync(string name, string? description = null, bool doubleOptIn = false, string? fromAddress = null, string? consentText = null, CancellationToken ct = default)
    {
        var trimmed = CheckName(name);
        var from = fromAddress is null ? null : MailAddressCanonical.Address(fromAddress);
        CheckTexts(description, consentText);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        if (await connection.ExecuteScalarAsync<long>(new CommandDefinition("SELECT COUNT(*) FROM lists", cancellationToken: ct)).ConfigureAwait(false) >= MaxLists)
        {
            throw new InvalidInputException($"a server holds at most {MaxLists} lists; remove the ones no longer used (estafeta lists remove)");
        }

        try
        {
            var (idColumn, idValue) = AudienceSql.NewId(db.Kind, "lists");
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                $"""
                INSERT INTO lists ({idColumn}name, description, double_opt_in, from_address, consent_text, created_at)
                VALUES ({idValue}@trimmed, @description, @doubleOptIn, @from, @consent, @now) RETURNING id
                """,
                new
                {
                    trimmed,
                    description = description?.Trim() ?? "",
                    doubleOptIn = doubleOptIn ? 1L : 0L,
                    from,
                    consent = consentText?.Trim() is { Length: > 0 } c ? c : DefaultConsentText(trimmed),
                    now = AudienceSql.Now(db),
                }, cancellationToken: ct)).ConfigureAwait(false);
            return (await GetAsync(id, ct).ConfigureAwait(false))!;
        }
        catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            throw new ConflictException($"list {trimmed} already exists", e);
        }
    }

    /// <summary>What a person agrees to when the list was given no text of its own, in Spanish ("es") or English (any
    /// other language). The English one is what the list stores; <see cref="MailingList.ConsentTextIn"/> shows it in the
    /// reader's language.</summary>
    public static string DefaultConsentText(string listName, string? language = null) => ConfirmationMail.IsSpanish(language?.ToLowerInvariant())
        ? $"Quiero recibir los correos de la lista «{listName}» y sé que puedo darme de baja en cualquier momento con el enlace de cada correo."
        : $"I want to receive the emails of the list \"{listName}\" and know I can unsubscribe at any time with the link in every email.";

    /// <summary>The most characters of a list's description and of its consent text.</summary>
    public const int MaxDescriptionLength = 2_000, MaxConsentTextLength = 4_000;

    /// <summary>The most lists a server holds (each is read with its counts by every listing).</summary>
    public const int MaxLists = 1_000;

    private static string CheckName(string name)
    {
        var trimmed = ListNames.Normalize(name);
        if (trimmed.Length is 0 or > 200) throw new InvalidInputException("a list name has 1 to 200 characters");
        if (long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out _)) throw new InvalidInputException("a list name may not be a number (numbers are list ids)");
        if (trimmed.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || trimmed.AsSpan().ContainsAnyInRange('\u007f', '\u009f')) throw new InvalidInputException("a list name may not hold control characters such as line breaks");
        return trimmed;
    }

    private static void CheckTexts(string? description, string? consentText)
    {
        if (description?.Trim().Length > MaxDescriptionLength) throw new InvalidInputException($"a list's description has at most {MaxDescriptionLength} characters");
        if (consentText?.Trim().Length > MaxConsentTextLength) throw new InvalidInputException($"a list's consent text has at most {MaxConsentTextLength} characters");
    }

    /// <summary>Changes what <paramref name="change"/> gives and keeps the rest. A renamed list keeps its subscribers, and
    /// the saved segments that name it by its old name (<c>list("...")</c>) are rewritten to the new one in the same
    /// transaction. A list that had the default consent text gets the default for its new name; an empty consent text
    /// goes back to the default, an empty sender to no-reply. Consent already given keeps the text it was given under
    /// (each consent record holds its own copy); switching double opt-in off does not confirm anyone still unconfirmed.</summary>
    public async Task<MailingList> UpdateAsync(long id, ListChange change, CancellationToken ct = default)
    {
        var name = change.Name is null ? null : CheckName(change.Name);
        var from = string.IsNullOrWhiteSpace(change.FromAddress) ? null : MailAddressCanonical.Address(change.FromAddress);
        CheckTexts(change.Description, change.ConsentText);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM lists WHERE id = @id", new { id }, tx, cancellationToken: ct)).ConfigureAwait(false)
            ?? throw new NotFoundException($"list {id} does not exist");
        var newName = name ?? row.Name;
        var consent = change.ConsentText?.Trim() switch
        {
            null => row.ConsentText == DefaultConsentText(row.Name) ? DefaultConsentText(newName) : row.ConsentText,
            "" => DefaultConsentText(newName),
            var text => text,
        };
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE lists SET name = @newName, description = @description, double_opt_in = @doubleOptIn, from_address = @from, consent_text = @consent
                WHERE id = @id
                """,
                new
                {
                    id,
                    newName,
                    description = change.Description?.Trim() ?? row.Description,
                    doubleOptIn = (change.DoubleOptIn ?? row.DoubleOptIn != 0) ? 1L : 0L,
                    from = change.FromAddress is null ? row.FromAddress : from,
                    consent,
                }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }
        catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            throw new ConflictException($"a list named {newName} already exists", e);
        }

        if (!string.Equals(newName, row.Name, StringComparison.Ordinal))
        {
            var after = await ListNames.LoadAsync(connection, tx, ct).ConfigureAwait(false);
            var before = after.Select(l => l.Id == id ? (l.Id, row.Name) : l).ToList();
            var segments = await connection.QueryAsync<(long Id, string Expression)>(new CommandDefinition("SELECT id, expression FROM segments", transaction: tx, cancellationToken: ct)).ConfigureAwait(false);
            foreach (var (segmentId, expression) in segments)
            {
                if (ListNames.Rename(expression, before, after) is not { } renamed) continue;
                await connection.ExecuteAsync(new CommandDefinition("UPDATE segments SET expression = @renamed, updated_at = @now WHERE id = @segmentId",
                    new { renamed, now = AudienceSql.Now(db), segmentId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            }
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return (await GetAsync(id, ct).ConfigureAwait(false))!;
    }

    public async Task<IReadOnlyList<MailingList>> ListAsync(CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM lists ORDER BY name", cancellationToken: ct)).ConfigureAwait(false);
        var counts = (await connection.QueryAsync<(long ListId, string Status, long Count)>(new CommandDefinition(
            "SELECT list_id, status, COUNT(*) FROM subscriptions GROUP BY list_id, status", cancellationToken: ct)).ConfigureAwait(false)).ToList();
        return [.. rows.Select(r => r.ToList(counts.Where(c => c.ListId == r.Id).ToDictionary(c => c.Status, c => c.Count, StringComparer.Ordinal)))];
    }

    public async Task<MailingList?> GetAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var row = await connection.QuerySingleOrDefaultAsync<Row>(new CommandDefinition($"SELECT {Columns} FROM lists WHERE id = @id", new { id }, cancellationToken: ct)).ConfigureAwait(false);
        if (row is null) return null;
        var counts = await connection.QueryAsync<(string Status, long Count)>(new CommandDefinition(
            "SELECT status, COUNT(*) FROM subscriptions WHERE list_id = @id GROUP BY status", new { id }, cancellationToken: ct)).ConfigureAwait(false);
        return row.ToList(counts.ToDictionary(c => c.Status, c => c.Count, StringComparer.Ordinal));
    }

    /// <summary>The list named by its id or its name, found as segments find it (<see cref="ListNames"/>: the exact name, else
    /// the one list named alike but for case and accents, so <c>--list boletin</c> finds "Boletín"); throws
    /// <see cref="NotFoundException"/> when there is none or several are named alike.</summary>
    public async Task<MailingList> ResolveAsync(string idOrName, CancellationToken ct = default)
    {
        if (long.TryParse(idOrName, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return await GetAsync(id, ct).ConfigureAwait(false) ?? throw new NotFoundException($"list {id} does not exist");
        }

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var found = ListNames.Find(idOrName, await ListNames.LoadAsync(connection, null, ct).ConfigureAwait(false), out var alike);
        if (found is null && alike.Count > 1)
            throw new NotFoundException($"several lists are named like {idOrName}: {string.Join(", ", alike.Select(l => l.Name))}; give the exact name or the id");

        return found is { } f
            ? (await GetAsync(f, ct).ConfigureAwait(false))!
            : throw new NotFoundException($"list {idOrName} does not exist; see estafeta lists list");
    }

    public async Task RemoveAsync(long id, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        // The subscriptions go with the list (ON DELETE CASCADE); the import consent records they name stay with the contacts.
        await SubscriptionStore.KeepImportConsentAsync(connection, tx, "s.list_id = @id AND s.consent_record_id IS NOT NULL", new { id }, ct).ConfigureAwait(false);
        if (await connection.ExecuteAsync(new CommandDefinition("DELETE FROM lists WHERE id = @id", new { id }, tx, commandTimeout: 0, cancellationToken: ct)).ConfigureAwait(false) == 0)
        {
            throw new NotFoundException($"list {id} does not exist");
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    private sealed class Row
    {
        public long Id { get; set; }
        public string Name { get; set; } = "";
        public string Description { get; set; } = "";
        public long DoubleOptIn { get; set; }
        public string? FromAddress { get; set; }
        public string ConsentText { get; set; } = "";
        public long CreatedAt { get; set; }

        public MailingList ToList(IReadOnlyDictionary<string, long> counts) =>
            new(Id, Name, Description, DoubleOptIn != 0, FromAddress, ConsentText, AudienceSql.Time(CreatedAt), counts);
    }
}
