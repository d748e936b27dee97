namespace Estafeta.Marketing.Audience;

/// <summary>
/// The result of an import: counts, and every row that was rejected (with why), skipped because the address
/// is suppressed, or imported with a warning from the address check.
/// </summary>
public sealed record ImportReport(
    long JobId,
    string File,
    string Encoding,
    string State,
    bool Resumed,
    long Rows,
    long Inserted,
    long Updated,
    long Rejected,
    long Suppressed,
    long Warnings,
    IReadOnlyList<ImportIssue> Issues);

/// <summary>One reported row. Outcome: <c>rejected</c>, <c>suppressed</c> or <c>warning</c>.</summary>
public sealed record ImportIssue(long Row, string? Email, string Outcome, string Reason);
