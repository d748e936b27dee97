namespace Estafeta.Marketing.Audience;

/// <summary>One row of an import file: its row number (the header is row 1 in CSV; the line number in JSON lines),
/// its cells by column name, or the reason it could not be read.</summary>
internal sealed record ImportRecord(long Row, IReadOnlyList<KeyValuePair<string, string?>> Cells, string? Problem);
