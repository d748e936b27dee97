using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using CsvHelper;

namespace Estafeta.Marketing.Audience;

/// <summary>Reads the rows of a CSV (delimiter sniffed) or JSON lines file as cells by column name.</summary>
internal static class ImportRecordReader
{
    public static async IAsyncEnumerable<ImportRecord> ReadAsync(ImportFile file, Action<long> position, [EnumeratorCancellation] CancellationToken ct)
    {
        var delimiter = file.Format == ImportFormat.Csv ? await SniffAsync(file, ct).ConfigureAwait(false) : ',';
        using var reader = file.OpenText(out var raw);
        await using var _ = raw;
        var records = file.Format == ImportFormat.JsonLines ? ReadJsonLinesAsync(reader, raw, position, ct) : ReadCsvAsync(reader, raw, delimiter, position, ct);
        await foreach (var record in records.ConfigureAwait(false))
        {
            yield return record;
        }
    }

    /// <summary>The delimiter the file uses (sniffed from its first lines).</summary>
    public static async Task<char> SniffAsync(ImportFile file, CancellationToken ct)
    {
        using var reader = file.OpenText(out var raw);
        await using var _ = raw;
        var lines = new List<string>();
        while (lines.Count < 20 && await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            lines.Add(line);
        }

        return CsvDelimiter.Sniff(lines);
    }

    private static async IAsyncEnumerable<ImportRecord> ReadCsvAsync(StreamReader reader, Stream raw, char delimiter, Action<long> position, [EnumeratorCancellation] CancellationToken ct)
    {
        var malformed = new Queue<CsvMalformedRecord>();
        var options = new CsvReaderOptions
        {
            Separator = delimiter,
            HasHeader = true,
            TrimWhitespace = true,
            SkipEmptyLines = true,
            TrackLineNumbers = true,
            MalformedData = CsvMalformedDataHandling.Skip,
            FieldCountMismatch = CsvFieldCountHandling.Skip,
            OnMalformedRecord = malformed.Enqueue,
        };
        using var csv = CsvReader.Create(reader, options, true);
        string[]? header = null;
        while (true)
        {
            var more = await csv.ReadAsync(ct).ConfigureAwait(false);
            header ??= more || csv.Headers.Count > 0 ? [.. csv.Headers.Select(h => h.Trim().TrimStart('\uFEFF'))] : null;
            while (malformed.TryDequeue(out var bad))
            {
                yield return new ImportRecord(bad.LineNumber, [], Describe(bad, header?.Length ?? 0));
            }

            if (!more) break;
            position(raw.Position);
            var list = new KeyValuePair<string, string?>[header!.Length];
            for (var i = 0; i < header.Length; i++) list[i] = new(header[i], csv.GetString(i));
            yield return new ImportRecord(csv.LineNumber, list, null);
        }
    }

    private static string Describe(CsvMalformedRecord bad, int columns) => bad.Reason switch
    {
        CsvMalformedReason.FieldCountMismatch => string.Create(CultureInfo.InvariantCulture, $"the number of fields differs from the header's {columns} (\"{Shorten(bad.RawRecord)}\")"),
        CsvMalformedReason.UnterminatedQuote => $"a quoted field is never closed (\"{Shorten(bad.RawRecord)}\")",
        CsvMalformedReason.StrayQuote => $"a quote inside an unquoted field (\"{Shorten(bad.RawRecord)}\")",
        CsvMalformedReason.TextAfterClosingQuote => $"text after the closing quote of a field (\"{Shorten(bad.RawRecord)}\")",
        _ => $"malformed quoting (\"{Shorten(bad.RawRecord)}\")",
    };

    private static async IAsyncEnumerable<ImportRecord> ReadJsonLinesAsync(StreamReader reader, Stream raw, Action<long> position, [EnumeratorCancellation] CancellationToken ct)
    {
        long row = 0;
        while (await reader.ReadLineAsync(ct).ConfigureAwait(false) is { } line)
        {
            row++;
            position(raw.Position);
            if (line.Trim().Length == 0) continue;
            ImportRecord record;
            try
            {
                using var doc = JsonDocument.Parse(line);
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                {
                    record = new ImportRecord(row, [], "the line is not a JSON object");
                }
                else
                {
                    var cells = new List<KeyValuePair<string, string?>>();
                    string? problem = null;
                    foreach (var p in doc.RootElement.EnumerateObject())
                    {
                        switch (p.Value.ValueKind)
                        {
                            case JsonValueKind.String: cells.Add(new(p.Name, p.Value.GetString())); break;
                            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False: cells.Add(new(p.Name, p.Value.GetRawText())); break;
                            case JsonValueKind.Null: cells.Add(new(p.Name, null)); break;
                            case JsonValueKind.Array when p.Value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String):
                                cells.Add(new(p.Name, string.Join(';', p.Value.EnumerateArray().Select(e => e.GetString())))); break;
                            default: problem ??= $"the value of \"{p.Name}\" is not text, a number, true/false or a list of text"; break;
                        }
                    }

                    record = new ImportRecord(row, problem is null ? cells : [], problem);
                }
            }
            catch (JsonException e)
            {
                record = new ImportRecord(row, [], $"not valid JSON ({e.Message.Split('.')[0]})");
            }

            yield return record;
        }
    }

    private static string Shorten(string? s) => s is null ? "" : s.Length <= 60 ? s.Trim() : s[..60].Trim() + "…";
}
