namespace Estafeta.Marketing.Audience;

/// <summary>A row that passed every check and will be written.</summary>
internal sealed record ImportRow(
    long Row,
    string Email,
    string? Name,
    string? Language,
    string? TimeZone,
    string Verdict,
    string ValidationDetail,
    IReadOnlyList<(long FieldId, FieldValues.Stored Value)> Values,
    IReadOnlyList<string> Tags,
    string? Warning);
