using System.Data;
using System.Data.Common;
using System.Globalization;
using Dapper;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// Imports contacts from a CSV or JSON lines file: each row is read, mapped, checked (address, fields, language,
/// time zone) and then written in batches, one transaction per batch that also records the rows it rejected and
/// the job's checkpoint. Rows are upserted by address; new rows are subscribed to the list with the operator's
/// consent statement; existing subscriptions keep their status (an import never re-subscribes someone who left);
/// suppressed addresses are skipped. An interrupted import of the same file into the same list resumes after its
/// last checkpoint, so nothing is written twice.
/// </summary>
public sealed class ContactImporter(Database db, AddressValidator validator)
{
    private static readonly char[] TagSeparators = [';', ',', '|'];

    private Database Database => db;

    public async Task<ImportReport> ImportAsync(string path, ImportOptions options, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(options.ConsentSource)) throw new InvalidInputException("state how these people consented (--consent-source \"...\")");
        if (!File.Exists(path)) throw new NotFoundException($"the file {path} does not exist");
        var file = await ImportFile.InspectAsync(path, options.Format, ct).ConfigureAwait(false);
        var mapping = new ImportMapping(options.Maps);
        var extraTags = options.Tags.Select(ContactRules.Tag).ToList();
        string consentText;
        await using (var connection = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            consentText = options.ListId is { } listId
                ? await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("SELECT consent_text FROM lists WHERE id = @listId", new { listId }, cancellationToken: ct)).ConfigureAwait(false)
                    ?? throw new NotFoundException($"list {listId} does not exist")
                : "";
        }

        var job = await StartJobAsync(file, options, ct).ConfigureAwait(false);
        var run = new Run(this, job, file, options, consentText);
        try
        {
            var fields = (await new FieldStore(db).ListAsync(ct).ConfigureAwait(false)).ToDictionary(f => f.Name, StringComparer.Ordinal);
            long bytes = 0;
            long index = 0;
            var checkedHeader = false;
            await foreach (var record in ImportRecordReader.ReadAsync(file, p => bytes = p, ct).ConfigureAwait(false))
            {
                index++;
                if (!checkedHeader && record.Problem is null && file.Format == ImportFormat.Csv)
                {
                    checkedHeader = true;
                    CheckHeader(mapping, record);
                }

                if (index <= job.RowsDone) continue;
                var (row, issue) = await PrepareAsync(record, mapping, fields, extraTags, ct).ConfigureAwait(false);
                if (issue is not null) run.Issues.Add(issue);
                if (row is not null)
                {
                    if (run.Emails.Contains(row.Email)) await run.FlushAsync(index - 1, done: false, ct).ConfigureAwait(false);
                    run.Rows.Add(row);
                    run.Emails.Add(row.Email);
                }

                if (run.Rows.Count + run.Issues.Count >= options.BatchSize)
                {
                    await run.FlushAsync(index, done: false, ct).ConfigureAwait(false);
                }

                if ((index & 255) == 0) options.Progress?.Report(new ImportProgress(bytes, file.Length, index));
            }

            await run.FlushAsync(Math.Max(index, job.RowsDone), done: true, ct).ConfigureAwait(false);
            options.Progress?.Report(new ImportProgress(file.Length, file.Length, index));
        }
        catch (InvalidInputException)
        {
            await SetStateAsync(job.Id, "failed", CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return await ReportAsync(job.Id, ct).ConfigureAwait(false) with { Encoding = file.EncodingName, Resumed = job.Resumed };
    }

    /// <summary>The report of an import job: its counts and every reported row.</summary>
    public async Task<ImportReport> ReportAsync(long jobId, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var job = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            $"SELECT {JobRow.Columns} FROM import_jobs WHERE id = @jobId", new { jobId }, cancellationToken: ct)).ConfigureAwait(false)
            ?? throw new NotFoundException($"import {jobId} does not exist");
        var issues = await connection.QueryAsync<(long Row, string? Email, string Outcome, string Reason)>(new CommandDefinition(
            "SELECT row_number, email, outcome, reason FROM import_rows WHERE job_id = @jobId ORDER BY row_number", new { jobId }, cancellationToken: ct)).ConfigureAwait(false);
        return new ImportReport(
            job.Id, job.FileName, job.Encoding, job.State, job.Resumed, job.RowsDone, job.Inserted, job.Updated, job.Rejected, job.Suppressed, job.Warnings,
            [.. issues.Select(i => new ImportIssue(i.Row, i.Email, i.Outcome, i.Reason))]);
    }

    private static void CheckHeader(ImportMapping mapping, ImportRecord first)
    {
        var columns = first.Cells.Select(c => c.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var column in mapping.ExplicitColumns)
        {
            if (!columns.Contains(column)) throw new InvalidInputException($"--map names the column '{column}', which the file does not have (columns: {string.Join(", ", first.Cells.Select(c => c.Key))})");
        }

        var targets = first.Cells.Select(c => mapping.For(c.Key)).ToList();
        if (!targets.Any(t => t.Kind == ImportTargetKind.Email))
        {
            throw new InvalidInputException($"no column holds the email address (columns: {string.Join(", ", first.Cells.Select(c => c.Key))}); map one with --map 'column=email'");
        }
    }

    private async Task<(ImportRow? Row, ImportIssue? Issue)> PrepareAsync(
        ImportRecord record, ImportMapping mapping, Dictionary<string, FieldDefinition> fields, List<string> extraTags, CancellationToken ct)
    {
        if (record.Problem is { } problem) return (null, new ImportIssue(record.Row, null, "rejected", problem));
        string? email = null, name = null, first = null, last = null, language = null, timeZone = null;
        var tags = new List<string>(extraTags);
        var raw = new List<(string Field, string Value)>();
        foreach (var (column, value) in record.Cells)
        {
            var target = mapping.For(column);
            var text = value?.Trim();
            if (string.IsNullOrEmpty(text) && target.Kind != ImportTargetKind.Email) continue;
            switch (target.Kind)
            {
                case ImportTargetKind.Email: email = text; break;
                case ImportTargetKind.Name: name = text; break;
                case ImportTargetKind.FirstName: first = text; break;
                case ImportTargetKind.LastName: last = text; break;
                case ImportTargetKind.Language: language = text; break;
                case ImportTargetKind.TimeZone: timeZone = text; break;
                case ImportTargetKind.Tags: tags.AddRange(text!.Split(TagSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
                case ImportTargetKind.Field: raw.Add((target.Field!, text!)); break;
            }
        }

        if (string.IsNullOrEmpty(email)) return (null, new ImportIssue(record.Row, null, "rejected", "no email address"));
        var validation = await validator.ValidateAsync(email, ct).ConfigureAwait(false);
        if (validation.Verdict == AddressVerdict.Invalid) return (null, new ImportIssue(record.Row, email, "rejected", validation.Describe()));
        var canonical = validation.Canonical!;
        try
        {
            var values = new List<(long, FieldValues.Stored)>(raw.Count);
            foreach (var (field, text) in raw)
            {
                if (!fields.TryGetValue(field, out var definition))
                {
                    definition = await EnsureFieldAsync(field, ct).ConfigureAwait(false);
                    fields[field] = definition;
                }

                values.Add((definition.Id, FieldValues.Parse(definition, text)));
            }

            name ??= first is null && last is null ? null : string.Join(' ', new[] { first, last }.Where(s => s is not null));
            var row = new ImportRow(
                record.Row, canonical, name, ContactRules.Language(language), ContactRules.TimeZone(timeZone),
                AddressValidation.VerdictName(validation.Verdict), ContactStore.ValidationDetail(validation), values,
                [.. tags.Select(ContactRules.Tag).Distinct(StringComparer.Ordinal)],
                validation.Verdict == AddressVerdict.Risky ? validation.Describe() : null);
            return (row, row.Warning is null ? null : new ImportIssue(record.Row, canonical, "warning", row.Warning));
        }
        catch (InvalidInputException e)
        {
            return (null, new ImportIssue(record.Row, canonical, "rejected", e.Message));
        }
    }

    private async Task<FieldDefinition> EnsureFieldAsync(string field, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var all = await FieldStore.EnsureAsync(connection, tx, [field], AudienceSql.Now(db), ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return all[field];
    }

    private async Task<JobRow> StartJobAsync(ImportFile file, ImportOptions options, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var existing = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            $"SELECT {JobRow.Columns} FROM import_jobs WHERE file_hash = @hash AND state = 'running' AND (list_id = @listId OR (list_id IS NULL AND @listId IS NULL)) ORDER BY id DESC LIMIT 1",
            new { hash = file.Hash, listId = options.ListId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (existing is not null)
        {
            await tx.CommitAsync(ct).ConfigureAwait(false);
            existing.Resumed = true;
            existing.Encoding = file.EncodingName;
            return existing;
        }

        var now = AudienceSql.Now(db);
        var row = await connection.QuerySingleAsync<JobRow>(new CommandDefinition(
            $"""
            INSERT INTO import_jobs (list_id, file_name, file_hash, consent_source, state, created_at, updated_at)
            VALUES (@listId, @name, @hash, @source, 'running', @now, @now) RETURNING {JobRow.Columns}
            """,
            new { listId = options.ListId, name = Path.GetFileName(file.Path), hash = file.Hash, source = options.ConsentSource.Trim(), now }, tx, cancellationToken: ct)).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        row.Encoding = file.EncodingName;
        return row;
    }

    private async Task SetStateAsync(long jobId, string state, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE import_jobs SET state = @state, updated_at = @now WHERE id = @jobId", new { jobId, state, now = AudienceSql.Now(db) }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>The rows and issues gathered since the last checkpoint, and how to write them.</summary>
    private sealed class Run(ContactImporter importer, JobRow job, ImportFile file, ImportOptions options, string listConsentText)
    {
        public List<ImportRow> Rows { get; } = [];
        public List<ImportIssue> Issues { get; } = [];
        public HashSet<string> Emails { get; } = new(StringComparer.Ordinal);

        public async Task FlushAsync(long rowsDone, bool done, CancellationToken ct)
        {
            var db = importer.Database;
            await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
            await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            var now = AudienceSql.Now(db);
            long inserted = 0, updated = 0, suppressed = 0;
            if (Rows.Count > 0)
            {
                var suppressions = await SuppressedAsync(connection, tx, ct).ConfigureAwait(false);
                var rows = new List<ImportRow>(Rows.Count);
                foreach (var row in Rows)
                {
                    if (suppressions.TryGetValue(Suppressions.Hash(row.Email), out var reason))
                    {
                        suppressed++;
                        Issues.RemoveAll(i => i.Row == row.Row);
                        Issues.Add(new ImportIssue(row.Row, reason == "erased" ? null : row.Email, "suppressed",
                            reason == "erased" ? "the address was erased at the person's request" : $"the address is suppressed ({reason})"));
                    }
                    else
                    {
                        rows.Add(row);
                    }
                }

                if (rows.Count > 0)
                {
                    var existing = await ExistingAsync(connection, tx, rows, ct).ConfigureAwait(false);
                    updated = rows.Count(r => existing.Contains(r.Email));
                    inserted = rows.Count - updated;
                    var ids = await UpsertContactsAsync(connection, tx, rows, now, ct).ConfigureAwait(false);
                    await WriteValuesAndTagsAsync(connection, tx, rows, ids, ct).ConfigureAwait(false);
                    if (options.ListId is { } listId) await SubscribeAsync(connection, tx, rows, ids, listId, now, ct).ConfigureAwait(false);
                }
            }

            if (Issues.Count > 0)
            {
                await MultiRowInsert.RunAsync(connection, tx,
                    "INSERT INTO import_rows (job_id, row_number, email, outcome, reason)", "ON CONFLICT (job_id, row_number) DO NOTHING",
                    [DbType.Int64, DbType.Int64, DbType.String, DbType.String, DbType.String],
                    [.. Issues.Select(i => new object?[] { job.Id, i.Row, i.Email, i.Outcome, i.Reason })], 0, ct).ConfigureAwait(false);
            }

            await connection.ExecuteAsync(new CommandDefinition(
                """
                UPDATE import_jobs SET rows_done = @rowsDone, inserted = inserted + @inserted, updated = updated + @updated,
                    rejected = rejected + @rejected, suppressed = suppressed + @suppressed, warnings = warnings + @warnings,
                    state = @state, updated_at = @now
                WHERE id = @id
                """,
                new
                {
                    id = job.Id, rowsDone, inserted, updated, suppressed, now, state = done ? "done" : "running",
                    rejected = (long)Issues.Count(i => i.Outcome == "rejected"), warnings = (long)Issues.Count(i => i.Outcome == "warning"),
                }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            Rows.Clear();
            Issues.Clear();
            Emails.Clear();
        }

        private async Task<Dictionary<string, string>> SuppressedAsync(DbConnection connection, DbTransaction tx, CancellationToken ct)
        {
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var chunk in Rows.Select(r => Suppressions.Hash(r.Email)).Chunk(500))
            {
                var found = await connection.QueryAsync<(string Hash, string Reason)>(new CommandDefinition(
                    $"SELECT email_hash, reason FROM suppressions WHERE {AudienceSql.In(importer.Database, "email_hash", "hashes")}",
                    new { hashes = chunk.ToList() }, tx, cancellationToken: ct)).ConfigureAwait(false);
                foreach (var (hash, reason) in found) result[hash] = reason;
            }

            return result;
        }

        private async Task<HashSet<string>> ExistingAsync(DbConnection connection, DbTransaction tx, List<ImportRow> rows, CancellationToken ct)
        {
            var result = new HashSet<string>(StringComparer.Ordinal);
            foreach (var chunk in rows.Select(r => r.Email).Chunk(500))
            {
                var found = await connection.QueryAsync<string>(new CommandDefinition(
                    $"SELECT email FROM contacts WHERE {AudienceSql.In(importer.Database, "email", "emails")}", new { emails = chunk.ToList() }, tx, cancellationToken: ct)).ConfigureAwait(false);
                result.UnionWith(found);
            }

            return result;
        }

        private static async Task<Dictionary<string, long>> UpsertContactsAsync(DbConnection connection, DbTransaction tx, List<ImportRow> rows, long now, CancellationToken ct)
        {
            var result = await MultiRowInsert.RunAsync(connection, tx,
                "INSERT INTO contacts (email, name, language, time_zone, validation, validation_detail, created_at, updated_at)",
                """
                ON CONFLICT (email) DO UPDATE SET name = COALESCE(excluded.name, contacts.name), language = COALESCE(excluded.language, contacts.language),
                    time_zone = COALESCE(excluded.time_zone, contacts.time_zone), validation = excluded.validation,
                    validation_detail = excluded.validation_detail, updated_at = excluded.updated_at
                RETURNING id, email
                """,
                [DbType.String, DbType.String, DbType.String, DbType.String, DbType.String, DbType.String, DbType.Int64, DbType.Int64],
                [.. rows.Select(r => new object?[] { r.Email, r.Name, r.Language, r.TimeZone, r.Verdict, r.ValidationDetail, now, now })], 2, ct).ConfigureAwait(false);
            return result.ToDictionary(r => (string)r[1]!, r => Convert.ToInt64(r[0], CultureInfo.InvariantCulture), StringComparer.Ordinal);
        }

        private static async Task WriteValuesAndTagsAsync(DbConnection connection, DbTransaction tx, List<ImportRow> rows, Dictionary<string, long> ids, CancellationToken ct)
        {
            var values = rows.SelectMany(r => r.Values.Select(v => new object?[] { ids[r.Email], v.FieldId, v.Value.Text, v.Value.Number, v.Value.Date })).ToList();
            if (values.Count > 0)
            {
                await MultiRowInsert.RunAsync(connection, tx,
                    "INSERT INTO contact_values (contact_id, field_id, text_value, number_value, date_value)",
                    "ON CONFLICT (contact_id, field_id) DO UPDATE SET text_value = excluded.text_value, number_value = excluded.number_value, date_value = excluded.date_value",
                    [DbType.Int64, DbType.Int64, DbType.String, DbType.Double, DbType.Int64], values, 0, ct).ConfigureAwait(false);
            }

            var tags = rows.SelectMany(r => r.Tags.Select(t => new object?[] { ids[r.Email], t })).ToList();
            if (tags.Count > 0)
            {
                await MultiRowInsert.RunAsync(connection, tx, "INSERT INTO contact_tags (contact_id, tag)", "ON CONFLICT DO NOTHING",
                    [DbType.Int64, DbType.String], tags, 0, ct).ConfigureAwait(false);
            }
        }

        private async Task SubscribeAsync(DbConnection connection, DbTransaction tx, List<ImportRow> rows, Dictionary<string, long> ids, long listId, long now, CancellationToken ct)
        {
            var added = await MultiRowInsert.RunAsync(connection, tx,
                "INSERT INTO subscriptions (contact_id, list_id, status, created_at, updated_at)", "ON CONFLICT (contact_id, list_id) DO NOTHING RETURNING contact_id",
                [DbType.Int64, DbType.Int64, DbType.String, DbType.Int64, DbType.Int64],
                [.. rows.Select(r => new object?[] { ids[r.Email], listId, "subscribed", now, now })], 1, ct).ConfigureAwait(false);
            if (added.Count == 0) return;
            var source = $"{job.ConsentSource} [import {job.Id.ToString(CultureInfo.InvariantCulture)}: {Path.GetFileName(file.Path)}]";
            await MultiRowInsert.RunAsync(connection, tx,
                "INSERT INTO consent_records (contact_id, list_id, status, source_kind, source, consent_text, created_at)", "",
                [DbType.Int64, DbType.Int64, DbType.String, DbType.String, DbType.String, DbType.String, DbType.Int64],
                [.. added.Select(a => new object?[] { Convert.ToInt64(a[0], CultureInfo.InvariantCulture), listId, "subscribed", "import", source, listConsentText.Length == 0 ? null : listConsentText, now })],
                0, ct).ConfigureAwait(false);
        }
    }

    private sealed class JobRow
    {
        public const string Columns =
            "id AS Id, file_name AS FileName, consent_source AS ConsentSource, state AS State, rows_done AS RowsDone, inserted AS Inserted, updated AS Updated, " +
            "rejected AS Rejected, suppressed AS Suppressed, warnings AS Warnings";

        public long Id { get; set; }
        public string FileName { get; set; } = "";
        public string ConsentSource { get; set; } = "";
        public string State { get; set; } = "";
        public long RowsDone { get; set; }
        public long Inserted { get; set; }
        public long Updated { get; set; }
        public long Rejected { get; set; }
        public long Suppressed { get; set; }
        public long Warnings { get; set; }
        public bool Resumed { get; set; }
        public string Encoding { get; set; } = "";
    }
}
