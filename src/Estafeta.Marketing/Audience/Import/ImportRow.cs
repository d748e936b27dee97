namespace Estafeta.Marketing.Audience;

/// <summary>
/// A row that passed every check and will be written: the canonical address and its SHA-256 (what the suppression
/// list is keyed by), the contact's properties, its custom field values as the JSON object stored on the contact (null when
/// it has none), its own tags, and the address check's warning for the report.
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
    string? Fields,
    IReadOnlyList<string> Tags,
    string? Warning);
