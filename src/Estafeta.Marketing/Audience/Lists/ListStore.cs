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
        var trimmed = name.Trim();
        if (trimmed.Length is 0 or > 200) throw new InvalidInputException("a list name has 1 to 200 characters");
        if (long.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out _)) throw new InvalidInputException("a list name may not be a number (numbers are list ids)");
        var from = fromAddress is null ? null : MailAddressCanonical.Address(fromAddress);
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        try
        {
            var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO lists (name, description, double_opt_in, from_address, consent_text, created_at)
                VALUES (@trimmed, @description, @doubleOptIn, @from, @consent, @now) RETURNING id
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

    /// <summary>The list named by its id or its name; throws <see cref="NotFoundException"/> when there is none.</summary>
    public async Task<MailingList> ResolveAsync(string idOrName, CancellationToken ct = default)
    {
        if (long.TryParse(idOrName, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
        {
            return await GetAsync(id, ct).ConfigureAwait(false) ?? throw new NotFoundException($"list {id} does not exist");
        }

        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var found = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
            "SELECT id FROM lists WHERE name = @name", new { name = idOrName.Trim() }, cancellationToken: ct)).ConfigureAwait(false);
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
