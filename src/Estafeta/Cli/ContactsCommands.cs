using Estafeta.Storage;
using System.CommandLine;
using System.Globalization;
using Estafeta.Marketing.Audience;
using Spectre.Console;

namespace Estafeta.Cli;

public static class ContactsCommands
{
    public static Command Create()
    {
        var command = new Command("contacts", "Add, show, import and export contacts, subscribe and unsubscribe them; GDPR export and erasure of one person");
        command.Subcommands.Add(ContactEditCommands.Add());
        command.Subcommands.Add(ContactEditCommands.Subscribe());
        command.Subcommands.Add(ContactEditCommands.Unsubscribe());
        command.Subcommands.Add(Import());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Export());
        command.Subcommands.Add(ContactPrivacyCommands.Export());
        command.Subcommands.Add(ContactPrivacyCommands.Erase());
        return command;
    }

    private static Command Import()
    {
        var file = new Argument<string>("file") { Description = "CSV (any delimiter; UTF-8 with or without BOM, or Latin-1) or JSON lines (.jsonl)" };
        var list = new Option<string?>("--list") { Description = "List (name or id) to subscribe new rows to" };
        var map = new Option<string[]>("--map") { Description = "column=field (email, name, first_name, last_name, language, time_zone, tags, skip, or a custom field); repeatable", AllowMultipleArgumentsPerToken = true };
        var consent = new Option<string?>("--consent-source") { Description = "How these people consented, kept as proof, e.g. \"formulario de la tienda, 2025\"" };
        var tag = new Option<string[]>("--tag") { Description = "Tag every imported contact; repeatable", AllowMultipleArgumentsPerToken = true };
        var format = new Option<string?>("--format") { Description = "csv or jsonl (default: from the file name)" };
        var noDns = new Option<bool>("--no-dns-check") { Description = "Do not check that the domains have MX or A records" };
        var report = new Option<string?>("--report") { Description = "Write every reported row (rejected, suppressed, warning) to this CSV file" };
        var json = new Option<bool>("--json") { Description = "Print the whole report as JSON" };
        var command = new Command("import", "Import contacts (upsert by email); an interrupted import of the same file resumes") { file, list, map, consent, tag, format, noDns, report, json };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            if (string.IsNullOrWhiteSpace(parse.GetValue(consent))) return Output.Fail("state how these people consented with --consent-source \"...\" (it is kept as proof of consent).");
            long? listId = parse.GetValue(list) is { } name ? (await audience.Lists.ResolveAsync(name, ct)).Id : null;
            var kind = parse.GetValue(format)?.ToLowerInvariant() switch
            {
                null => (ImportFormat?)null,
                "csv" => ImportFormat.Csv,
                "jsonl" or "ndjson" => ImportFormat.JsonLines,
                var other => throw new Estafeta.Storage.InvalidInputException($"--format is csv or jsonl, not {other}"),
            };
            var importer = audience.Importer(checkDns: !parse.GetValue(noDns));
            var options = new ImportOptions(parse.GetValue(consent)!)
            {
                ListId = listId,
                Maps = parse.GetValue(map) ?? [],
                Tags = parse.GetValue(tag) ?? [],
                Format = kind,
            };
            var path = parse.GetValue(file)!;
            ImportReport result;
            if (parse.GetValue(json) || Console.IsOutputRedirected)
            {
                result = await importer.ImportAsync(path, options, ct);
            }
            else
            {
                result = await AnsiConsole.Progress().AutoClear(false).HideCompleted(false)
                    .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn())
                    .StartAsync(async progress =>
                    {
                        var task = progress.AddTask(Markup.Escape(Path.GetFileName(path)), maxValue: Math.Max(1, new FileInfo(path).Length));
                        var r = await importer.ImportAsync(path, options with { Progress = new Progress<ImportProgress>(p => task.Value = p.BytesRead) }, ct);
                        task.Value = task.MaxValue;
                        return r;
                    });
            }

            if (parse.GetValue(report) is { } reportPath) await WriteIssuesAsync(reportPath, result, ct);
            if (parse.GetValue(json))
            {
                Output.WriteJson(result);
                return 0;
            }

            Output.Done(string.Create(CultureInfo.InvariantCulture,
                $"Import {result.JobId}{(result.Resumed ? " (resumed)" : "")} of {result.File} ({result.Encoding}): {result.Rows} {(result.Rows == 1 ? "row" : "rows")}, {result.Inserted} new, {result.Updated} updated, {result.Rejected} rejected, {result.Suppressed} suppressed, {result.Warnings} with warnings."));
            var shown = result.Issues.Take(50).ToList();
            Output.WriteTable(["Line", "Email", "Outcome", "Why"], shown.Select(i => new[] { i.Row.ToString(CultureInfo.InvariantCulture), i.Email ?? "", i.Outcome, i.Reason }), "No rows were rejected.");
            if (result.Issues.Count > shown.Count) Output.Done($"... and {result.Issues.Count - shown.Count} more; write them all with --report FILE or see --json.");
            return 0;
        }, dns: !parse.GetValue(noDns)));
        return command;
    }

    private static async Task WriteIssuesAsync(string path, ImportReport report, CancellationToken ct)
    {
        // Written for a spreadsheet, from the file's own cells: a cell that would run as a formula (=HYPERLINK(...) in the
        // email column) is written with the apostrophe that keeps it text, as exports are.
        await using var writer = new StreamWriter(path, append: false, new System.Text.UTF8Encoding(false));
        var text = new System.Text.StringBuilder();
        CsvCells.AppendRow(text, ["line", "email", "outcome", "reason"], guardFormulas: false);
        foreach (var i in report.Issues)
        {
            CsvCells.AppendRow(text, [i.Row.ToString(CultureInfo.InvariantCulture), i.Email ?? "", i.Outcome, i.Reason], guardFormulas: true);
            if (text.Length < 1 << 16) continue;
            await writer.WriteAsync(text, ct);
            text.Clear();
        }

        await writer.WriteAsync(text, ct);
    }

    private static Command Show()
    {
        var email = new Argument<string>("email") { Description = "The contact's address (or id)" };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts (the API's contact, with its subscriptions)" };
        var command = new Command("show", "Show one contact: its properties, custom fields, tags, address check and subscriptions") { email, json };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var given = parse.GetValue(email)!.Trim();
            var contact = await audience.Contacts.FindByIdOrAddressAsync(given, ct);
            if (contact is null)
            {
                var suppressed = given.Contains('@', StringComparison.Ordinal) ? await audience.Suppression.ReasonAsync(given, ct) : null;
                return Output.Fail($"there is no contact {given}" + (suppressed is { } reason ? $"; the address is on the suppression list ({SuppressionReasons.Name(reason)})" : ""));
            }

            var subscriptions = await audience.Subscriptions.ForContactAsync(contact.Id, ct);
            if (parse.GetValue(json))
            {
                Output.WriteJson(new { contact, subscriptions = subscriptions.Select(s => new { listId = s.ListId, list = s.ListName, status = SubscriptionStatuses.Name(s.Status), since = s.UpdatedAt }) });
                return 0;
            }

            static string When(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
            var rows = new List<string[]>
            {
                new[] { "id", contact.Id.ToString(CultureInfo.InvariantCulture) },
                new[] { "email", contact.Email == MailAddressCanonical.DisplayAddress(contact.Email) ? contact.Email : $"{MailAddressCanonical.DisplayAddress(contact.Email)} ({contact.Email})" },
                new[] { "name", contact.Name ?? "" },
                new[] { "language", contact.Language ?? "" },
                new[] { "time zone", contact.TimeZone ?? "" },
                new[] { "tags", string.Join(", ", contact.Tags) },
                new[] { "address check", contact.Validation is { } v ? string.Join("; ", new[] { v.Verdict, string.Join(", ", v.Flags), v.Suggestion is null ? "" : "did you mean " + v.Suggestion }.Where(x => x.Length > 0)) : "" },
                new[] { "paused until", contact.PausedUntil is { } p ? When(p) : "" },
                new[] { "created", When(contact.CreatedAt) },
                new[] { "updated", When(contact.UpdatedAt) },
            };
            rows.AddRange(contact.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => new[] { f.Key, FieldValues.Format(f.Value) }));
            Output.WriteTable(["Property", "Value"], rows, "");
            Output.WriteTable(["List", "Status", "Since"], subscriptions.Select(s => new[] { s.ListName, SubscriptionStatuses.Name(s.Status), When(s.UpdatedAt) }),
                "Subscribed to no list.");
            return 0;
        }));
        return command;
    }

    private static Command Export()
    {
        var list = new Option<string?>("--list") { Description = "Only this list's contacts (name or id), with their subscription_status" };
        var segment = new Option<string?>("--segment") { Description = "Only the contacts of a segment (expression or saved name)" };
        var format = new Option<string>("--format") { Description = ExportFormats.Names, DefaultValueFactory = _ => "csv" };
        var output = new Option<string?>("--output", "-o") { Description = "File to write (default: standard output)" };
        var command = new Command("export", "Export contacts as CSV (plain, or for spreadsheet programs) or JSON lines") { list, segment, format, output };
        command.SetAction((parse, ct) => AudienceVerb.RunAsync(parse, async (audience, _) =>
        {
            var kind = ExportFormats.Parse(parse.GetValue(format))
                ?? throw new Estafeta.Storage.InvalidInputException($"--format is {ExportFormats.Names}, not {parse.GetValue(format)}");
            long? listId = parse.GetValue(list) is { } name ? (await audience.Lists.ResolveAsync(name, ct)).Id : null;
            var query = parse.GetValue(segment) is { } expr ? await audience.Segments.ResolveAsync(expr, ct) : null;
            if (parse.GetValue(output) is { } path)
            {
                await using var file = File.Create(path);
                var count = await audience.Exporter.ExportAsync(file, kind, listId, query, ct);
                Console.Error.WriteLine($"Exported {count} contacts to {path}.");
            }
            else
            {
                await using var stdout = Console.OpenStandardOutput();
                await audience.Exporter.ExportAsync(stdout, kind, listId, query, ct);
            }

            return 0;
        }));
        return command;
    }
}
