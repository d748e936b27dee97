using System.Text;
using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Marketing.Tests;

/// <summary>
/// Random import files: CSV with quotes, delimiters, byte order marks, Windows-1252 and mixed line ends, JSON lines and
/// plain random bytes. A file is imported or refused whole with an <see cref="InvalidInputException"/>; of one that
/// imports, every row is imported or rejected under the line it starts on, and what was imported exports and imports
/// again as it is.
/// </summary>
public abstract class ImportFuzzTests(AudienceBackend backend) : AudienceTests(backend), IDisposable
{
    private readonly string folder = Directory.CreateTempSubdirectory("estafeta-import-fuzz-").FullName;

    public void Dispose() => Directory.Delete(folder, recursive: true);

    private static readonly string[] Cells =
        ["Ana", "José Pérez", "O'Brien", "a,b", "a;b", "a|b", "say \"hi\"", " padded ", "línea\nnueva", "línea\r\nnueva", "tab\there", "=SUMA(1)", "'+34 600", "", "€uro", "ÿ", "100%", "x\\y", "\u00a0"];

    private static string Cell(string value, char delimiter, string newline, Random random)
    {
        value = value.Replace("\r\n", "\n", StringComparison.Ordinal).Replace("\n", newline, StringComparison.Ordinal);
        var needs = value.IndexOfAny([delimiter, '"', '\r', '\n']) >= 0 || value != value.Trim();
        return needs || random.Next(5) == 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    /// <summary>A CSV file of random rows, some broken; returns the line each row starts on and whether it may be imported.</summary>
    private (string Text, List<(long Line, string? Email, bool Good)> Rows) RandomCsv(Random random, string tag)
    {
        var delimiter = Fuzz.Pick(random, (char[])[',', ';', '\t', '|']);
        var newline = Fuzz.Pick(random, (string[])["\n", "\r\n", "\r"]);
        var text = new StringBuilder();
        text.Append(string.Join(delimiter, "email", "name", "idioma", "etiquetas", "ciudad")).Append(newline);
        long line = 2;
        var rows = new List<(long, string?, bool)>();
        for (var n = random.Next(1, 12); n > 0; n--)
        {
            var start = line;
            string row;
            string? email = null;
            var good = false;
            switch (random.Next(6))
            {
                case 0:
                    // Broken: a quote inside an unquoted field, text after a closing quote, too few fields, random text.
                    row = Fuzz.Pick(random, (string[])["a\"b@x.es", "\"a\"b", "solo", "x" + Fuzz.Text(random, 6).Replace("\r", "", StringComparison.Ordinal).Replace("\n", "", StringComparison.Ordinal)]);
                    break;
                default:
                    email = random.Next(8) == 0 ? Fuzz.Text(random, 4) + "@" : $"fuzz.{Guid.NewGuid().ToString("N")[..10]}@{Fuzz.Pick(random, (string[])["ejemplo.es", "españa.test", "EJEMPLO.ES"])}";
                    var cells = new[]
                    {
                        email, Fuzz.Pick(random, Cells), Fuzz.Pick(random, (string[])["es", "English", "", "klingon"]),
                        string.Join(';', Enumerable.Range(0, random.Next(3)).Select(_ => Fuzz.Pick(random, (string[])["uno", "Dos", "tres"]))), Fuzz.Pick(random, Cells),
                    };
                    row = string.Join(delimiter, cells.Select(c => Cell(c, delimiter, newline, random)));
                    good = email.EndsWith(".es", StringComparison.OrdinalIgnoreCase) || email.EndsWith(".ES", StringComparison.Ordinal) || email.EndsWith(".test", StringComparison.Ordinal);
                    break;
            }

            text.Append(row).Append(newline);
            // A line break inside a quoted field is a line of the file too: \r\n, \n or \r alone, whatever the file's own.
            line += 1 + System.Text.RegularExpressions.Regex.Count(row, "\r\n|\r|\n");
            if (random.Next(6) == 0)
            {
                text.Append(newline);
                line++;
            }

            rows.Add((start, email, good));
        }

        if (random.Next(3) == 0) text.Length -= newline.Length;
        return (text.ToString(), rows);
    }

    private string Write(string name, byte[] bytes)
    {
        var path = Path.Combine(folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] Encode(string text, Random random)
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var latin = Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
        switch (random.Next(4))
        {
            case 0:
                return [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(text)];
            case 1:
                return [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(text)];
            case 2:
                try
                {
                    return latin.GetBytes(text);
                }
                catch (EncoderFallbackException)
                {
                    return Encoding.UTF8.GetBytes(text);
                }

            default:
                return Encoding.UTF8.GetBytes(text);
        }
    }

    [Fact]
    public async Task Every_row_of_a_random_csv_file_is_imported_or_rejected_under_its_line()
    {
        var random = new Random(Db.Kind == DatabaseKind.Sqlite ? 8101 : 8102);
        for (var n = 0; n < Fuzz.Iterations(Db.Kind == DatabaseKind.Sqlite ? 25 : 10); n++)
        {
            var tag = Name("fuzz");
            var (text, rows) = RandomCsv(random, tag);
            var path = Write($"f{n}.csv", Encode(text, random));
            ImportReport report;
            try
            {
                report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("fuzz") { Tags = [tag], BatchSize = random.Next(1, 8) });
            }
            catch (InvalidInputException)
            {
                continue;
            }
            catch (Exception e)
            {
                Assert.Fail($"{Fuzz.Show(text)} failed: {e.GetType().Name}: {e.Message}");
                return;
            }

            var lines = rows.Select(r => r.Line).ToHashSet();
            var rejected = report.Issues.Where(i => i.Outcome == "rejected").ToList();
            Assert.True(rejected.All(i => lines.Contains(i.Row)), $"{Fuzz.Show(text)}: rejected rows {string.Join(", ", rejected.Select(i => i.Row))}, rows start on {string.Join(", ", lines)}");
            Assert.True(report.Inserted + report.Updated + report.Rejected + report.Suppressed == rows.Count, $"{Fuzz.Show(text)}: {rows.Count} rows, {report.Inserted} + {report.Updated} + {report.Rejected} + {report.Suppressed} counted");
            foreach (var (line, email, good) in rows)
            {
                var imported = email is not null && await Audience.Contacts.FindAsync(email) is not null;
                Assert.True(imported != rejected.Any(i => i.Row == line), $"{Fuzz.Show(text)}: the row on line {line} ({email}) is {(imported ? "imported and rejected" : "neither imported nor rejected")}");
                if (good && !imported) Assert.Contains(rejected, i => i.Row == line);
            }

            await RoundTripAsync(tag, random);
        }
    }

    /// <summary>The contacts tagged <paramref name="tag"/> exported (CSV, spreadsheet CSV or JSON lines) import again with nothing rejected nor changed.</summary>
    private async Task RoundTripAsync(string tag, Random random)
    {
        var query = await Audience.Segments.ResolveAsync($"tag(\"{tag}\")");
        var before = await Audience.Contacts.ListAsync(0, 1000, query);
        if (before.Count == 0) return;
        var format = Fuzz.Pick(random, (ExportFormat[])[ExportFormat.Csv, ExportFormat.SpreadsheetCsv, ExportFormat.JsonLines]);
        var path = Path.Combine(folder, Guid.NewGuid().ToString("N") + (format == ExportFormat.JsonLines ? ".jsonl" : ".csv"));
        await using (var output = File.Create(path)) await Audience.Exporter.ExportAsync(output, format, null, query);

        var report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("fuzz"));

        Assert.True(report.Rejected == 0, $"{format}: {string.Join("; ", report.Issues.Select(i => $"{i.Row} {i.Reason}"))}\n{File.ReadAllText(path)}");
        Assert.Equal(before.Count, report.Updated);
        var after = await Audience.Contacts.ListAsync(0, 1000, query);
        Assert.Equal(before.Select(Describe), after.Select(Describe));
    }

    private static string Describe(Contact c) =>
        $"{c.Email} {c.Name} {c.Language} {c.TimeZone} [{string.Join(",", c.Tags.Order(StringComparer.Ordinal))}] {string.Join(",", c.Fields.Select(f => $"{f.Key}={f.Value}"))}";

    [Fact]
    public async Task A_random_json_lines_file_imports_every_line_or_rejects_it_under_its_number()
    {
        var random = new Random(Db.Kind == DatabaseKind.Sqlite ? 8103 : 8104);
        string[] values = ["\"Ana\"", "\"\\ud800\"", "\"a\\u0000b\"", "1e400", "-0", "true", "null", "[\"uno\", \"dos\"]", "[1, 2]", "{\"a\": 1}", "\"\\u00e9\"", "\"\\udc00\\ud800\"", "\"\\ud83d\\ude00\""];
        string[] keys = ["name", "idioma", "tags", "ciudad", "fields", "email", "\\ud800", "time_zone", "edad"];
        for (var n = 0; n < Fuzz.Iterations(Db.Kind == DatabaseKind.Sqlite ? 25 : 10); n++)
        {
            var lines = new List<string>();
            for (var i = random.Next(1, 10); i > 0; i--)
            {
                var members = new List<string> { $"\"email\": \"fuzz.{Guid.NewGuid().ToString("N")[..10]}@ejemplo.es\"" };
                for (var m = random.Next(4); m > 0; m--) members.Add($"\"{Fuzz.Pick(random, keys)}\": {Fuzz.Pick(random, values)}");
                var line = "{" + string.Join(", ", members.OrderBy(_ => random.Next())) + "}";
                lines.Add(random.Next(8) switch { 0 => line[..random.Next(line.Length)], 1 => "", 2 => "[1]", _ => line });
            }

            var text = string.Join(Fuzz.Pick(random, (string[])["\n", "\r\n"]), lines);
            var path = Write($"f{n}.jsonl", Encoding.UTF8.GetBytes(text));
            ImportReport report;
            try
            {
                report = await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("fuzz"));
            }
            catch (InvalidInputException)
            {
                continue;
            }
            catch (Exception e)
            {
                Assert.Fail($"{Fuzz.Show(text)} failed: {e.GetType().Name}: {e.Message}");
                return;
            }

            var numbered = lines.Select((l, i) => (Line: i + 1L, Text: l)).Where(l => l.Text.Trim().Length > 0).ToList();
            Assert.True(report.Inserted + report.Updated + report.Rejected == numbered.Count, $"{Fuzz.Show(text)}: {numbered.Count} lines, {report.Inserted} + {report.Updated} + {report.Rejected} counted");
            Assert.All(report.Issues.Where(i => i.Outcome == "rejected"), i => Assert.Contains(numbered, l => l.Line == i.Row));
        }
    }

    [Fact]
    public async Task A_file_of_random_bytes_is_imported_or_refused_with_an_input_error()
    {
        var random = new Random(Db.Kind == DatabaseKind.Sqlite ? 8105 : 8106);
        for (var n = 0; n < Fuzz.Iterations(Db.Kind == DatabaseKind.Sqlite ? 25 : 10); n++)
        {
            var bytes = new byte[random.Next(0, 300)];
            random.NextBytes(bytes);
            var prefix = Encoding.UTF8.GetBytes(random.Next(2) == 0 ? "email,name\n" : $"email\nfuzz.{n}.{Guid.NewGuid().ToString("N")[..6]}@ejemplo.es\n");
            var path = Write($"r{n}" + (random.Next(3) == 0 ? ".jsonl" : ".csv"), [.. prefix, .. bytes.Where(b => random.Next(4) > 0 || b != 0)]);
            try
            {
                await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("fuzz"));
            }
            catch (InvalidInputException)
            {
            }
            catch (Exception e)
            {
                Assert.Fail($"{Convert.ToHexString(File.ReadAllBytes(path))} failed: {e.GetType().Name}: {e.Message}");
            }
        }
    }
}

public abstract class ImportFuzzFoundTests(AudienceBackend backend) : AudienceTests(backend)
{
    private async Task<ImportReport> ImportAsync(string extension, string text)
    {
        var path = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString("N") + extension);
        await File.WriteAllTextAsync(path, text, new UTF8Encoding(false));
        try
        {
            return await Audience.Importer(checkDns: false).ImportAsync(path, new ImportOptions("fuzz"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public async Task A_json_line_with_half_of_a_surrogate_pair_is_rejected_under_its_number()
    {
        // GetString threw an InvalidOperationException that ended the whole import.
        var (a, b) = (Email("ana"), Email("bea"));
        var report = await ImportAsync(".jsonl", $"{{\"email\": \"{a}\", \"name\": \"\\ud800\"}}\n{{\"email\": \"{b}\"}}\n");

        Assert.Equal((1L, 1L), (report.Inserted, report.Rejected));
        Assert.Contains("half a surrogate pair", Assert.Single(report.Issues, i => i.Row == 1).Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nul_character_rejects_its_row_on_both_databases()
    {
        // On PostgreSQL the chunk's COPY (or the report row quoting the value) failed with "invalid byte sequence": the import stopped.
        var (a, b) = (Email("ana"), Email("bea"));
        var report = await ImportAsync(".jsonl", $"{{\"email\": \"{a}\", \"idioma\": \"a\\u0000b\"}}\n{{\"email\": \"{b}\", \"fields\": {{\"nota\": \"x\\u0000\"}}}}\n");

        Assert.Equal((0L, 2L), (report.Inserted, report.Rejected));
        Assert.All(report.Issues, i => Assert.Contains("U+0000", i.Reason, StringComparison.Ordinal));
        Assert.Throws<SegmentSyntaxException>(() => SegmentCompiler.Compile("name = \"a\0\"", Db.Kind, new Dictionary<string, FieldDefinition>(), [], DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Rows_after_a_quoted_line_break_in_a_file_of_carriage_returns_keep_their_line_numbers()
    {
        // A quoted \r alone was not counted as a line: every later row was reported one line too early.
        var a = Email("ana");
        var report = await ImportAsync(".csv", $"email,nota\r{a},\"uno\rdos\"\rno-es-un-correo,x\r");

        Assert.Equal(1L, report.Inserted);
        Assert.Equal(4L, Assert.Single(report.Issues).Row);
    }
}

public sealed class ImportFuzzFoundOnSqlite(SqliteAudience backend) : ImportFuzzFoundTests(backend), IClassFixture<SqliteAudience>;

public sealed class ImportFuzzFoundOnPostgres(PostgresAudience backend) : ImportFuzzFoundTests(backend), IClassFixture<PostgresAudience>;

public sealed class ImportFuzzOnSqlite(SqliteAudience backend) : ImportFuzzTests(backend), IClassFixture<SqliteAudience>;

public sealed class ImportFuzzOnPostgres(PostgresAudience backend) : ImportFuzzTests(backend), IClassFixture<PostgresAudience>;
