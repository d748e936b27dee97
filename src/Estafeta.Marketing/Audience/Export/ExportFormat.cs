namespace Estafeta.Marketing.Audience;

public enum ExportFormat
{
    /// <summary>RFC 4180 CSV: UTF-8 without a byte order mark, cells separated by commas.</summary>
    Csv,
    JsonLines,
    /// <summary>CSV as spreadsheet programs open it with a double click (the <c>excel</c> format): UTF-8 with a byte order
    /// mark, without which Excel reads the file as the system's ANSI code page and shows "JosÃ©" for "José", and cells
    /// separated by semicolons, the list separator of Excel in Spanish and most European locales (with commas every row
    /// lands in the first column there). <c>contacts import</c> reads it back as it is.</summary>
    SpreadsheetCsv,
}

public static class ExportFormats
{
    /// <summary>The format named <paramref name="name"/> (csv, excel, jsonl); null for any other name.</summary>
    public static ExportFormat? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        null or "" or "csv" => ExportFormat.Csv,
        "excel" => ExportFormat.SpreadsheetCsv,
        "jsonl" or "ndjson" => ExportFormat.JsonLines,
        _ => null,
    };

    public const string Names = "csv, excel (CSV for spreadsheet programs: UTF-8 with a byte order mark, semicolons) or jsonl";
}
