namespace Estafeta.Marketing.Audience;

/// <summary>
/// A row that passed every check and will be written: the canonical address and its SHA-256 (what the suppression
/// list is keyed by), the contact's properties, the values of custom fields by their slot in the import (null where
/// the row has none), its own tags, and the address check's warning for the report.
/// </summary>
internal sealed record ImportRow(
    long Row,
    string Email,
    string EmailHash,
    string? Name,
    string? Language,
    string? TimeZone,
    string Verdict,
    string ValidationDetail,
    FieldValues.Stored?[] Values,
    IReadOnlyList<string> Tags,
    string? Warning);
