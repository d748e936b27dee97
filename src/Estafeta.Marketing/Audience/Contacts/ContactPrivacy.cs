using Dapper;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// GDPR: everything stored about a contact in one document (article 15/20), and erasure (article 17) that
/// removes the contact with its values, tags, subscriptions, consent records and events, leaving only the
/// SHA-256 of the address on the suppression list so the person is never imported or mailed again.
/// </summary>
public sealed class ContactPrivacy(Database db, ContactStore contacts)
{
    public async Task<ContactDossier> ExportAsync(long contactId, CancellationToken ct = default)
    {
        var contact = await contacts.GetAsync(contactId, ct).ConfigureAwait(false) ?? throw new NotFoundException($"contact {contactId} does not exist");
        var subscriptions = new SubscriptionStore(db);
        var suppression = await new SuppressionStore(db).ReasonAsync(contact.Email, ct).ConfigureAwait(false);
        return new ContactDossier(
            contact,
            await subscriptions.ForContactAsync(contactId, ct).ConfigureAwait(false),
            await subscriptions.HistoryAsync(contactId, ct).ConfigureAwait(false),
            await new EngagementStore(db).ForContactAsync(contactId, ct).ConfigureAwait(false),
            suppression is { } r ? SuppressionReasons.Name(r) : null,
            db.Time.GetUtcNow());
    }

    /// <summary>Erases the contact; returns the hash kept on the suppression list.</summary>
    public async Task<string> EraseAsync(long contactId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var email = await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition(
            "SELECT email FROM contacts WHERE id = @contactId", new { contactId }, tx, cancellationToken: ct)).ConfigureAwait(false)
            ?? throw new NotFoundException($"contact {contactId} does not exist");
        var entry = await new SuppressionStore(db).AddAsync(connection, tx, email, SuppressionReason.Erased, null, new ConsentEvidence(ConsentSourceKind.System, "erasure"), ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM import_rows WHERE email = @email", new { email }, tx, cancellationToken: ct)).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM contacts WHERE id = @contactId", new { contactId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return entry.Hash;
    }
}

/// <summary>Everything about one contact, as handed to the person on request.</summary>
public sealed record ContactDossier(
    Contact Contact,
    IReadOnlyList<Subscription> Subscriptions,
    IReadOnlyList<ConsentRecord> ConsentRecords,
    IReadOnlyList<EngagementEvent> Events,
    string? Suppression,
    DateTimeOffset ExportedAt);
