using System.Text.Json;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>Reads the rows of a CSV (delimiter sniffed) or JSON lines file as cells by column name.</summary>
internal static class ImportRecordReader
{
    private static readonly string[] NoColumns = [];
    private static readonly string?[] NoValues = [];

    /// <summary>
    /// The file's rows in order, read as they are asked for. <paramref name="position"/> is told how many bytes of the
    /// file have been read so far (for progress).
    /// </summary>
    public static IEnumerable<ImportRecord> Read(ImportFile file, Action<long> position, CancellationToken ct)
    {
        var delimiter = file.Format == ImportFormat.Csv ? Sniff(file) : ',';
        using var reader = file.OpenText(out var raw);
        using var _ = raw;
        var records = file.Format == ImportFormat.JsonLines ? ReadJsonLines(reader, raw, position, ct) : ReadCsv(reader, raw, delimiter, position, ct);
        foreach (var record in records)
        {
            yield return record;
        }
    }

    /// <summary>The column names of a CSV file's header line; null when the file has no line at all.</summary>
    public static string[]? Header(ImportFile file)
    {
        var delimiter = Sniff(file);
        using var reader = file.OpenText(out var raw);
        using var stream = raw;
        var csv = new CsvRecordReader(reader, delimiter);
        csv.Read(out _, out _, out _);
        return csv.Header;
    }

    /// <summary>The delimiter the file uses (sniffed from its first lines).</summary>
    public static char Sniff(ImportFile file)
    {
        using var reader = file.OpenText(out var raw);
        using var _ = raw;
        var lines = new List<string>();
        while (lines.Count < 20 && reader.ReadLine() is { } line)
        {
            lines.Add(line);
        }

        return CsvDelimiter.Sniff(lines);
    }

    private static IEnumerable<ImportRecord> ReadCsv(StreamReader reader, Stream raw, char delimiter, Action<long> position, CancellationToken ct)
    {
        var csv = new CsvRecordReader(reader, delimiter);
        long count = 0;
        while (csv.Read(out var row, out var cells, out var problem))
        {
            if ((++count & 1023) == 0)
            {
                ct.ThrowIfCancellationRequested();
                position(raw.Position);
            }

            if (problem is null)
            {
                Unguard(cells!);
                problem = FaultIn(csv.Header!) ?? FaultIn(cells!);
            }

            yield return problem is null ? new ImportRecord(row, csv.Header!, cells!, null) : new ImportRecord(row, csv.Header ?? NoColumns, NoValues, problem);
        }

        position(raw.Position);
    }

    /// <summary>Adds one property of a JSON lines row as a cell; the problem when its value is not one a cell can hold.</summary>
    private static string? Add(List<string> names, List<string?> values, string name, JsonElement element)
    {
        string? value;
        switch (element.ValueKind)
        {
            case JsonValueKind.String: value = element.GetString(); break;
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False: value = element.GetRawText(); break;
            case JsonValueKind.Null: value = null; break;
            case JsonValueKind.Array when element.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                value = string.Join(';', element.EnumerateArray().Select(e => e.GetString())); break;
            default:
                return $"the value of \"{name}\" is not text, a number, true/false or a list of text";
        }

        if (FaultIn([name, value]) is { } nul) return nul;
        names.Add(name);
        values.Add(value);
        return null;
    }

    /// <summary>The problem of a row with a value or column name that breaks <see cref="StorableText"/>'s rule, else null:
    /// U+0000 was a 500 for the whole import on PostgreSQL. A UTF-16 file or a JSON \u0000 escape carries it past the NUL
    /// octet check of <see cref="ImportFile"/>.</summary>
    private static string? FaultIn(IEnumerable<string?> texts)
    {
        foreach (var text in texts)
            if (text is not null && StorableText.FaultAt(text, out var why) >= 0) return "a value or column name holds " + why;
        return null;
    }

    /// <summary>Takes off the apostrophe an export puts before a value a spreadsheet would run as a formula
    /// (<c>'+34 600 000 000</c>, <c>'=SUMA(1)</c>: Estafeta's own exports do, as OWASP advises), so that a file exported
    /// and imported again keeps its values. An apostrophe before anything else is part of the value (O'Brien).</summary>
    internal static void Unguard(string?[] cells)
    {
        for (var i = 0; i < cells.Length; i++)
        {
            if (cells[i] is { Length: > 1 } cell && cell[0] == '\'' && cell[1] is '=' or '+' or '-' or '@' or '\t' or '\r') cells[i] = cell[1..];
        }
    }

    private static IEnumerable<ImportRecord> ReadJsonLines(StreamReader reader, Stream raw, Action<long> position, CancellationToken ct)
    {
        long row = 0;
        var names = new List<string>();
        var values = new List<string?>();
        while (reader.ReadLine() is { } line)
        {
            row++;
            if ((row & 1023) == 0)
            {
                ct.ThrowIfCancellationRequested();
                position(raw.Position);
            }

            if (line.Trim().Length == 0) continue;
            ImportRecord record;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    record = new ImportRecord(row, NoColumns, NoValues, "the line is not a JSON object");
                }
                else
                {
                    names.Clear();
                    values.Clear();
                    string? problem = null;
                    foreach (var p in doc.RootElement.EnumerateObject())
                    {
                        // The custom fields as Estafeta's JSON lines export writes them: {"email": ..., "fields": {"país": "ES"}}.
                        if (p.NameEquals("fields") && p.Value.ValueKind == JsonValueKind.Object)
                        {
                            foreach (var field in p.Value.EnumerateObject()) problem ??= Add(names, values, field.Name, field.Value);
                            continue;
                        }

                        problem ??= Add(names, values, p.Name, p.Value);
                    }

                    record = problem is null ? new ImportRecord(row, [.. names], [.. values], null) : new ImportRecord(row, NoColumns, NoValues, problem);
                }
            }
            catch (JsonException e)
            {
                record = new ImportRecord(row, NoColumns, NoValues, $"not valid JSON ({e.Message.Split('.')[0]})");
            }
            catch (InvalidOperationException) when (!ct.IsCancellationRequested)
            {
                // Thrown when a name or value is read whose \u escapes are half a surrogate pair ("\ud800"): no text can
                // hold it. It failed the whole import.
                record = new ImportRecord(row, NoColumns, NoValues, "a string is not valid Unicode: a \\u escape of half a surrogate pair without the other half");
            }

            yield return record;
        }

        position(raw.Position);
    }
}
