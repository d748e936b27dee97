using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// Everything stored about one address, as handed to the person on request (GDPR articles 15 and 20): the contact
/// with its custom fields (typed) and tags, its subscriptions, every consent record with its evidence, its
/// engagement events, the suppression entry, the stored address check, the rows of import reports that name
/// the address, and what happened to mail sent to it (delivered, deferred, bounced, complained). <see cref="Contact"/> is null when no contact exists (for example after erasure, when only the
/// hash on the suppression list remains).
/// </summary>
public sealed record PersonalDataExport(
    string Email,
    DateTimeOffset ExportedAt,
    Contact? Contact,
    IReadOnlyList<PersonalField> CustomFields,
    IReadOnlyList<Subscription> Subscriptions,
    IReadOnlyList<ConsentRecord> ConsentRecords,
    IReadOnlyList<EngagementEvent> Events,
    PersonalSuppression? Suppression,
    ContactValidation? Validation,
    IReadOnlyList<PersonalImportRow> ImportReports,
    IReadOnlyList<PersonalDelivery> Deliveries);

/// <summary>A custom field value with the field's type (text, number, date, boolean, choice).</summary>
public sealed record PersonalField(string Name, string Type, object? Value);

/// <summary>The address's entry on the suppression list. <see cref="AddressStored"/> is false when only the hash is kept.</summary>
public sealed record PersonalSuppression(SuppressionReason Reason, bool AddressStored, string Hash, string? Note, DateTimeOffset Since);

/// <summary>A row of an import report that names the address (rejected, suppressed or imported with a warning).</summary>
public sealed record PersonalImportRow(long ImportId, string File, long Row, string? Email, string Outcome, string Reason, DateTimeOffset ImportedAt);

/// <summary>An outcome of mail sent to the address, from the outbound MTA's log, newest first.</summary>
public sealed record PersonalDelivery(DateTimeOffset At, OutboundEventKind Kind, string Source, string? BounceClass, string? Status, string? Detail, string Sender, string Destination, string? MessageId);

/// <summary>
/// What an erasure removed. <see cref="SuppressionHash"/> is the SHA-256 of the canonical address, the only trace
/// left. <see cref="DeliveryEvents"/> counts the outbound MTA's records of mail to the address, kept for the sending
/// statistics with the address and diagnostic text removed. <see cref="CancelledDeliveries"/> counts the deliveries to the
/// address that were still queued and will not be sent. <see cref="AlreadyErased"/>: the address had been erased before and nothing more was found now.
/// </summary>
public sealed record ErasureResult(
    string SuppressionHash,
    long? ContactId,
    bool AlreadyErased,
    long Subscriptions,
    long ConsentRecords,
    long Events,
    long Tags,
    long FieldValues,
    long ImportReportRows,
    long CachedApiResponses,
    long DeliveryEvents,
    long CancelledDeliveries)
{
    public bool ContactErased => ContactId is not null;
}
