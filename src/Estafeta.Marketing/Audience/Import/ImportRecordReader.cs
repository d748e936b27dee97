using System.Text.Json;

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

            yield return problem is null ? new ImportRecord(row, csv.Header!, cells!, null) : new ImportRecord(row, csv.Header ?? NoColumns, NoValues, problem);
        }

        position(raw.Position);
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
                        string? value;
                        switch (p.Value.ValueKind)
                        {
                            case JsonValueKind.String: value = p.Value.GetString(); break;
                            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False: value = p.Value.GetRawText(); break;
                            case JsonValueKind.Null: value = null; break;
                            case JsonValueKind.Array when p.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                                value = string.Join(';', p.Value.EnumerateArray().Select(e => e.GetString())); break;
                            default:
                                problem ??= $"the value of \"{p.Name}\" is not text, a number, true/false or a list of text";
                                continue;
                        }

                        names.Add(p.Name);
                        values.Add(value);
                    }

                    record = problem is null ? new ImportRecord(row, [.. names], [.. values], null) : new ImportRecord(row, NoColumns, NoValues, problem);
                }
            }
            catch (JsonException e)
            {
                record = new ImportRecord(row, NoColumns, NoValues, $"not valid JSON ({e.Message.Split('.')[0]})");
            }

            yield return record;
        }

        position(raw.Position);
    }
}
