namespace Estafeta.Marketing.Audience;

/// <summary>
/// One row of an import file: its row number (the line it starts on in CSV, where the header is line 1; the line
/// number in JSON lines), its column names and the cells under them (in CSV the header's array, shared by every
/// row), or the reason it could not be read.
/// </summary>
internal readonly record struct ImportRecord(long Row, string[] Columns, string?[] Values, string? Problem);
