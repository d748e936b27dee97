using System.Text;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// Writes RFC 4180 cells, separated by commas or another delimiter: quoted when they hold the delimiter, a comma, a
/// quote, a line break or edge whitespace. Text cells that
/// a spreadsheet would run as a formula (starting with = + - @, tab or CR) get a leading apostrophe.
/// </summary>
public static class CsvCells
{
    public static void AppendRow(StringBuilder line, IEnumerable<string> cells, bool guardFormulas, char delimiter = ',')
    {
        var first = true;
        foreach (var cell in cells)
        {
            if (!first) line.Append(delimiter);
            first = false;
            var value = guardFormulas && cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + cell : cell;
            // A comma is quoted whatever the delimiter, so that a reader guessing it cannot take a comma for it.
            var quote = value.AsSpan().IndexOfAny(",\"\r\n") >= 0 || value.Contains(delimiter, StringComparison.Ordinal) || (value.Length > 0 && (char.IsWhiteSpace(value[0]) || char.IsWhiteSpace(value[^1])));
            if (quote) line.Append('"').Append(value.Replace("\"", "\"\"", StringComparison.Ordinal)).Append('"');
            else line.Append(value);
        }

        line.Append("\r\n");
    }
}
