using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Threading.Channels;
using Dapper;
using Estafeta.Storage;
using Npgsql;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// Imports contacts from a CSV or JSON lines file, built for files of millions of rows. The file is read by a span
/// based CSV reader (or line by line for JSON lines); each row is mapped and checked in memory (address syntax,
/// disposable domains, role addresses, typo suggestions; the domain's MX or A records once per distinct domain when
/// DNS checks are on), and the good rows are gathered into chunks. Each chunk is one transaction: its rows go into
/// a temporary staging table (binary COPY on PostgreSQL, one prepared statement on SQLite) and are then written with
/// a few set-based statements: suppressed addresses are marked by an anti-join with the suppression list and
/// reported, never written nor subscribed; existing contacts are updated and new ones inserted (upsert by address);
/// custom field values and tags are upserted; new rows are subscribed to the list, each new subscription naming the
/// job's consent record (the operator's stated source, the list's consent text, the import job and file, the time);
/// existing subscriptions keep their status (an import never re-subscribes someone who left). The rejected rows, the
/// warnings and the job's checkpoint (rows done) are written in the same transaction, so an interrupted import of
/// the same file into the same list resumes after its last chunk and writes nothing twice.
/// </summary>
public sealed class ContactImporter(Database db, AddressValidator validator)
{
    private static readonly char[] TagSeparators = [';', ',', '|'];

    /// <summary>
    /// SQLite's page cache while an import writes (negative: in KiB), 256 MiB: every chunk writes all over the address
    /// index (about 55 MiB at a million contacts, so 64 MiB no longer held it). Pages are taken as they are read, so a
    /// smaller database takes less.
    /// </summary>
    private const string BulkCacheKibibytes = "-262144";

    private AddressValidator Validator => validator;

    public async Task<ImportReport> ImportAsync(string path, ImportOptions options, CancellationToken ct = default)
    {
        if (string.IsNullOrWhiteSpace(options.ConsentSource)) throw new InvalidInputException("state how these people consented (--consent-source \"...\")");
        if (options.BatchSize < 1) throw new InvalidInputException("the batch size is at least 1 row");
        if (Directory.Exists(path)) throw new InvalidInputException($"{path} is a folder; name the file to import");
        if (!File.Exists(path)) throw new NotFoundException($"the file {path} does not exist");
        var file = await ImportFile.InspectAsync(path, options.Format, ct).ConfigureAwait(false);
        var mapping = new ImportMapping(options.Maps);
        var extraTags = options.Tags.Select(ContactRules.Tag).DistinctBy(CaseFold.Of, StringComparer.Ordinal).ToList();
        string consentText;
        await using (var connection = await db.OpenAsync(ct).ConfigureAwait(false))
        {
            consentText = options.ListId is { } listId
                ? await connection.QuerySingleOrDefaultAsync<string?>(new CommandDefinition("SELECT consent_text FROM lists WHERE id = @listId", new { listId }, cancellationToken: ct)).ConfigureAwait(false)
                    ?? throw new NotFoundException($"list {listId} does not exist")
                : "";
        }

        var job = await StartJobAsync(file, options, consentText, ct).ConfigureAwait(false);
        try
        {
            var fields = (await new FieldStore(db).ListAsync(ct).ConfigureAwait(false)).ToDictionary(f => f.Name, StringComparer.Ordinal);
            await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
            long? cacheSize = null;
            if (db.Kind == DatabaseKind.Sqlite)
            {
                // A page cache that holds the indexes the chunks write (the address index is written in no useful order):
                // it changes what is kept in memory between statements, not what reaches the disk at each commit.
                cacheSize = await connection.QuerySingleAsync<long>(new CommandDefinition("PRAGMA cache_size", cancellationToken: ct)).ConfigureAwait(false);
                await connection.ExecuteAsync(new CommandDefinition($"PRAGMA temp_store = MEMORY; PRAGMA cache_size = {BulkCacheKibibytes}", cancellationToken: ct)).ConfigureAwait(false);
            }
            else
            {
                // The staging table lives in the session's local buffers; the default 8 MB would spill a chunk to disk.
                // (Only takes effect before the session's first temporary table; a pooled session may have had one.)
                await connection.ExecuteAsync(new CommandDefinition("SET temp_buffers = '64MB'", cancellationToken: ct)).ConfigureAwait(false);
            }

            try
            {
                // The file is read and checked on one thread while the chunk before is written on this one (at most one
                // chunk waits between them), so the checks cost no time when the database is the slower side.
                var run = new Run(db, connection, job, options, extraTags);
                var chunks = Channel.CreateBounded<ImportChunk>(new BoundedChannelOptions(1) { SingleReader = true, SingleWriter = true });
                using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
                var reading = Task.Run(() => ReadChunksAsync(file, mapping, fields, job.RowsDone, options.BatchSize, chunks.Writer, stop.Token), CancellationToken.None);
                try
                {
                    await foreach (var chunk in chunks.Reader.ReadAllAsync(ct).ConfigureAwait(false))
                    {
                        await run.WriteAsync(chunk, ct).ConfigureAwait(false);
                        options.Progress?.Report(new ImportProgress(chunk.Bytes, file.Length, chunk.RowsDone));
                    }
                }
                catch
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    // The reader stops at the cancellation; what failed here is what the caller must see.
                    await reading.ContinueWith(static t => _ = t.Exception, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).ConfigureAwait(false);
                    throw;
                }

                await reading.ConfigureAwait(false);
            }
            finally
            {
                if (cacheSize is { } size && connection.State == ConnectionState.Open)
                {
                    await connection.ExecuteAsync(new CommandDefinition($"PRAGMA cache_size = {size.ToString(CultureInfo.InvariantCulture)}", cancellationToken: CancellationToken.None)).ConfigureAwait(false);
                }
            }
        }
        catch (InvalidInputException)
        {
            await SetStateAsync(job.Id, "failed", CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        return await ReportAsync(job.Id, ct).ConfigureAwait(false) with { Encoding = file.EncodingName, Resumed = job.Resumed };
    }

    /// <summary>
    /// Reads the file from its checkpoint and hands over chunks of checked rows: at most <paramref name="batchSize"/>
    /// rows and issues each, ended early when an address repeats (so the later row is written after the earlier, as it
    /// would be one by one); the last chunk, perhaps empty, is marked done. A reading error ends the import.
    /// </summary>
    private async Task ReadChunksAsync(
        ImportFile file, ImportMapping mapping, Dictionary<string, FieldDefinition> fields, long rowsDone, int batchSize, ChannelWriter<ImportChunk> chunks, CancellationToken ct)
    {
        try
        {
            var rows = new RowBuilder(this, mapping, fields);
            var copy = db.Kind == DatabaseKind.PostgreSql;
            var chunk = new ImportChunk(copy);
            long bytes = 0;
            long index = 0;
            var checkedHeader = false;
            foreach (var record in ImportRecordReader.Read(file, p => bytes = p, ct))
            {
                index++;
                if (!checkedHeader && record.Columns.Length > 0 && file.Format == ImportFormat.Csv)
                {
                    checkedHeader = true;
                    CheckHeader(mapping, record.Columns, fields);
                }

                if (index <= rowsDone) continue;
                var (row, issue) = rows.Prepare(record);
                if (row is null && issue is null)
                {
                    (row, issue) = await rows.PrepareSlowlyAsync(record, ct).ConfigureAwait(false);
                }

                if (issue is not null) chunk.Issues.Add(issue);
                if (row is not null)
                {
                    if (!chunk.Emails.Add(row.Email))
                    {
                        chunk.RowsDone = index - 1;
                        chunk.Bytes = bytes;
                        await chunks.WriteAsync(chunk, ct).ConfigureAwait(false);
                        chunk = new ImportChunk(copy);
                        chunk.Emails.Add(row.Email);
                    }

                    chunk.Add(row);
                }

                if (chunk.Rows.Count + chunk.Issues.Count >= batchSize)
                {
                    chunk.RowsDone = index;
                    chunk.Bytes = bytes;
                    await chunks.WriteAsync(chunk, ct).ConfigureAwait(false);
                    chunk = new ImportChunk(copy);
                }
            }

            // A file of a header line alone is checked as any other (it names no email column: say so, not "0 rows");
            // a file with no line at all is refused.
            if (!checkedHeader && file.Format == ImportFormat.Csv)
            {
                var header = ImportRecordReader.Header(file)
                    ?? throw new InvalidInputException("the file is empty: a CSV file starts with a header line naming its columns (email,name,...)");
                CheckHeader(mapping, header, fields);
            }

            chunk.RowsDone = Math.Max(index, rowsDone);
            chunk.Bytes = file.Length;
            chunk.Done = true;
            await chunks.WriteAsync(chunk, ct).ConfigureAwait(false);
        }
        finally
        {
            // Without the done chunk the writer stops and the import fails with this method's exception.
            chunks.Complete();
        }
    }

    /// <summary>The staging table's columns a row fills, in the order <see cref="StageRow"/> writes them (SQLite adds
    /// <c>new_id</c>; PostgreSQL gives it from the contacts' sequence).</summary>
    private static readonly (string Name, StageType Type)[] StageColumns =
    [
        ("line_no", StageType.Integer), ("email", StageType.Text), ("email_hash", StageType.Text), ("name", StageType.Text),
        ("language", StageType.Text), ("time_zone", StageType.Text), ("validation", StageType.Text), ("validation_detail", StageType.Text),
        ("warning", StageType.Text), ("fields", StageType.Json),
    ];

    /// <summary>Writes a row's values for <see cref="StageColumns"/>, between the stage's StartRow and EndRow.</summary>
    private static void StageRow(ImportStage stage, ImportRow row)
    {
        stage.Integer(row.Row);
        stage.Text(row.Email);
        stage.Text(row.EmailHash);
        stage.Text(row.Name);
        stage.Text(row.Language);
        stage.Text(row.TimeZone);
        stage.Text(row.Verdict);
        stage.Text(row.ValidationDetail);
        stage.Text(row.Warning);
        stage.Json(row.Fields);
    }

    /// <summary>
    /// Checked rows and rejected ones up to a checkpoint, written in one transaction; on PostgreSQL with the rows already
    /// in the binary COPY format of the staging table (<paramref name="copy"/>), encoded by the reading thread.
    /// </summary>
    private sealed class ImportChunk(bool copy)
    {
        public List<ImportRow> Rows { get; } = [];

        public PostgresCopyRows? Copy { get; } = copy ? new PostgresCopyRows(StageColumns.Length) : null;

        public List<ImportIssue> Issues { get; } = [];

        public HashSet<string> Emails { get; } = new(StringComparer.Ordinal);

        /// <summary>The rows of the file read when this chunk is written (its checkpoint).</summary>
        public long RowsDone { get; set; }

        public long Bytes { get; set; }

        public bool Done { get; set; }

        public void Add(ImportRow row)
        {
            Rows.Add(row);
            if (Copy is { } copy)
            {
                copy.StartRow();
                StageRow(copy, row);
                copy.EndRow();
            }
        }
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

    private static void CheckHeader(ImportMapping mapping, string[] columns, Dictionary<string, FieldDefinition> fields)
    {
        var present = columns.ToHashSet(StringComparer.OrdinalIgnoreCase);
        foreach (var column in mapping.ExplicitColumns)
        {
            if (!present.Contains(column)) throw new InvalidInputException($"--map names the column '{column}', which the file does not have (columns: {string.Join(", ", columns)})");
        }

        // Two columns that fill one thing would leave the last one's value and drop the other's without a word.
        var named = columns.Select((name, index) => (Name: name.Trim(), Number: index + 1)).Where(c => c.Name.Length > 0).ToList();
        foreach (var twice in named.GroupBy(c => c.Name, StringComparer.OrdinalIgnoreCase).Where(g => g.Count() > 1))
        {
            throw new InvalidInputException(
                $"the header names the column '{twice.Key}' {twice.Count()} times (columns {string.Join(" and ", twice.Select(c => c.Number))}); rename all but one in the header line");
        }

        foreach (var clash in named.Select(c => (c.Name, Target: mapping.For(c.Name))).Where(c => c.Target.Kind is not (ImportTargetKind.Skip or ImportTargetKind.Tags))
                     .GroupBy(c => c.Target.Kind == ImportTargetKind.Field ? "field " + c.Target.Field : TargetName(c.Target.Kind), StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            var names = clash.Select(c => $"'{c.Name}'").ToList();
            throw new InvalidInputException(
                $"the columns {string.Join(" and ", names)} would {(names.Count == 2 ? "both" : "all")} fill {clash.Key}; keep one with --map '{clash.Skip(1).First().Name}=skip' (or map it elsewhere)");
        }

        if (!columns.Any(c => mapping.For(c).Kind == ImportTargetKind.Email))
        {
            throw new InvalidInputException($"no column holds the email address (columns: {string.Join(", ", columns)}); map one with --map 'column=email'");
        }

        // A file whose columns would make more custom fields than the server holds stops before it makes any.
        var known = fields.Values.DistinctBy(f => f.Id).ToList();
        var added = columns.Select(c => mapping.For(c)).Where(t => t.Kind == ImportTargetKind.Field).Select(t => t.Field!)
            .Distinct(StringComparer.Ordinal).Where(f => FieldValues.Resolve(f, fields) is null).ToList();
        if (known.Count + added.Count > FieldValues.MaxDefinitions)
        {
            throw new InvalidInputException(
                $"the file's columns would add {added.Count} custom fields to the {known.Count} there are, more than the {FieldValues.MaxDefinitions} a server holds; " +
                $"map the columns not needed with --map 'column=skip' (first new ones: {string.Join(", ", added.Take(5))})");
        }
    }

    private static string TargetName(ImportTargetKind kind) => kind switch
    {
        ImportTargetKind.FirstName => "first_name",
        ImportTargetKind.LastName => "last_name",
        ImportTargetKind.TimeZone => "time_zone",
        _ => kind.ToString().ToLowerInvariant(),
    };

    private async Task<FieldDefinition> EnsureFieldAsync(string field, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var all = await FieldStore.EnsureAsync(connection, tx, [field], AudienceSql.Now(db), ct).ConfigureAwait(false);
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return all[field];
    }

    /// <summary>
    /// The running job of this file and list (a resume), or a new one; with a list, the job's consent record: one for
    /// the job and list, which every subscription the import creates names (<c>subscriptions.consent_record_id</c>).
    /// </summary>
    private async Task<JobRow> StartJobAsync(ImportFile file, ImportOptions options, string consentText, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var existing = await connection.QuerySingleOrDefaultAsync<JobRow>(new CommandDefinition(
            $"SELECT {JobRow.Columns} FROM import_jobs WHERE file_hash = @hash AND state = 'running' AND (list_id = @listId OR (list_id IS NULL AND @listId IS NULL)) ORDER BY id DESC LIMIT 1",
            new { hash = file.Hash, listId = options.ListId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        var now = AudienceSql.Now(db);
        var row = existing ?? await connection.QuerySingleAsync<JobRow>(new CommandDefinition(
            $"""
            INSERT INTO import_jobs (list_id, file_name, file_hash, consent_source, state, created_at, updated_at)
            VALUES (@listId, @name, @hash, @source, 'running', @now, @now) RETURNING {JobRow.Columns}
            """,
            new { listId = options.ListId, name = options.FileName ?? Path.GetFileName(file.Path), hash = file.Hash, source = options.ConsentSource.Trim(), now }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (options.ListId is { } listId && row.ConsentRecordId is null)
        {
            // What each subscriber's own record used to hold: the stated source, the job and file, the list's consent text, the time.
            var source = $"{row.ConsentSource} [import {row.Id.ToString(CultureInfo.InvariantCulture)}: {row.FileName}]";
            row.ConsentRecordId = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
                """
                INSERT INTO consent_records (contact_id, list_id, status, source_kind, source, consent_text, created_at)
                VALUES (NULL, @listId, 'subscribed', 'import', @source, @text, @now) RETURNING id
                """,
                new { listId, source, text = consentText.Length == 0 ? null : consentText, now }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE import_jobs SET consent_record_id = @record WHERE id = @id", new { record = row.ConsentRecordId, id = row.Id }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        row.Resumed = existing is not null;
        row.Encoding = file.EncodingName;
        return row;
    }

    private async Task SetStateAsync(long jobId, string state, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            "UPDATE import_jobs SET state = @state, updated_at = @now WHERE id = @jobId", new { jobId, state, now = AudienceSql.Now(db) }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>Turns records into rows to write or issues to report, in memory; only a new custom field or a domain's first DNS lookup waits.</summary>
    private sealed class RowBuilder(ContactImporter importer, ImportMapping mapping, Dictionary<string, FieldDefinition> fields)
    {
        private readonly List<string> tags = [];
        private readonly List<(string Field, string Text)> raw = [];
        private readonly FieldJson.Builder json = new();
        private string? cleanDetail;
        private string[]? planColumns;
        private ImportTarget[] plan = [];
        private string? email, name, first, last, language, timeZone;

        /// <summary>The row or its issue; (null, null) when it needs <see cref="PrepareSlowlyAsync"/>.</summary>
        public (ImportRow? Row, ImportIssue? Issue) Prepare(ImportRecord record) => Build(record, null, CancellationToken.None);

        public async Task<(ImportRow? Row, ImportIssue? Issue)> PrepareSlowlyAsync(ImportRecord record, CancellationToken ct)
        {
            Gather(record);
            var validation = await importer.Validator.ValidateAsync(email!, ct).ConfigureAwait(false);
            foreach (var (field, _) in raw.ToList())
            {
                if (!fields.ContainsKey(field)) fields[field] = await importer.EnsureFieldAsync(field, ct).ConfigureAwait(false);
            }

            return Build(record, validation, ct);
        }

        private (ImportRow? Row, ImportIssue? Issue) Build(ImportRecord record, AddressValidation? known, CancellationToken ct)
        {
            if (record.Problem is { } problem) return (null, new ImportIssue(record.Row, null, "rejected", problem));
            Gather(record);
            if (string.IsNullOrEmpty(email)) return (null, new ImportIssue(record.Row, null, "rejected", "no email address"));
            var validation = known;
            if (validation is null)
            {
                var check = importer.Validator.ValidateAsync(email, ct);
                if (!check.IsCompletedSuccessfully) return (null, null);
                validation = check.Result;
            }

            if (validation.Verdict == AddressVerdict.Invalid) return (null, new ImportIssue(record.Row, email, "rejected", validation.Describe()));
            var canonical = validation.Canonical!;
            foreach (var (field, _) in raw)
            {
                if (!fields.ContainsKey(field)) return (null, null);
            }

            try
            {
                string? values = null;
                if (raw.Count > 0)
                {
                    json.Start();
                    for (var i = 0; i < raw.Count; i++)
                    {
                        var (field, text) = raw[i];
                        if (LaterColumnHas(field, i)) continue;
                        var definition = fields[field];
                        json.Add(definition, FieldValues.Parse(definition, text));
                    }

                    values = json.Finish();
                }

                var fullName = name ?? (first is null && last is null ? null : first is null ? last : last is null ? first : first + " " + last);
                var detail = validation.Flags.Count == 0 && validation.Suggestion is null
                    ? cleanDetail ??= ContactStore.ValidationDetail(validation)
                    : ContactStore.ValidationDetail(validation);
                var row = new ImportRow(
                    record.Row, canonical, HashOf(canonical), ContactRules.Name(fullName), ContactRules.Language(language), ContactRules.TimeZone(timeZone),
                    AddressValidation.VerdictName(validation.Verdict), detail, values,
                    tags.Count == 0 ? [] : ContactRules.Tags(tags),
                    validation.Verdict == AddressVerdict.Risky ? validation.Describe() : null);
                return (row, null);
            }
            catch (InvalidInputException e)
            {
                return (null, new ImportIssue(record.Row, canonical, "rejected", e.Message));
            }
        }

        private void Gather(ImportRecord record)
        {
            email = name = first = last = language = timeZone = null;
            tags.Clear();
            raw.Clear();
            var targets = Plan(record.Columns);
            var values = record.Values;
            for (var i = 0; i < targets.Length && i < values.Length; i++)
            {
                var target = targets[i];
                var text = values[i];
                if (text is not null && text.Length > 0 && (char.IsWhiteSpace(text[0]) || char.IsWhiteSpace(text[^1]))) text = text.Trim();
                if (string.IsNullOrEmpty(text))
                {
                    if (target.Kind == ImportTargetKind.Email) email = text;
                    continue;
                }

                switch (target.Kind)
                {
                    case ImportTargetKind.Email: email = text; break;
                    case ImportTargetKind.Name: name = text; break;
                    case ImportTargetKind.FirstName: first = text; break;
                    case ImportTargetKind.LastName: last = text; break;
                    case ImportTargetKind.Language: language = text; break;
                    case ImportTargetKind.TimeZone: timeZone = text; break;
                    case ImportTargetKind.Tags: tags.AddRange(text.Split(TagSeparators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)); break;
                    case ImportTargetKind.Field: raw.Add((target.Field!, text)); break;
                }
            }
        }

        /// <summary>Whether a later column of the row sets the same field (the later one wins).</summary>
        private bool LaterColumnHas(string field, int index)
        {
            for (var j = index + 1; j < raw.Count; j++)
            {
                if (string.Equals(raw[j].Field, field, StringComparison.Ordinal)) return true;
            }

            return false;
        }

        /// <summary>The target of each column; CSV rows share their header, so it is worked out once.</summary>
        private ImportTarget[] Plan(string[] columns)
        {
            if (ReferenceEquals(columns, planColumns)) return plan;
            plan = [.. columns.Select(mapping.For)];
            planColumns = columns;
            return plan;
        }

        /// <summary>The same as <see cref="Suppressions.Hash"/>, with one allocation.</summary>
        private static string HashOf(string canonical)
        {
            var length = Encoding.UTF8.GetByteCount(canonical);
            Span<byte> bytes = length <= 1024 ? stackalloc byte[length] : new byte[length];
            Encoding.UTF8.GetBytes(canonical, bytes);
            Span<byte> digest = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(bytes, digest);
            return Convert.ToHexStringLower(digest);
        }
    }

    /// <summary>Writes chunks of rows and issues, each with its checkpoint, in one transaction each.</summary>
    private sealed class Run(Database db, DbConnection connection, JobRow job, ImportOptions options, IReadOnlyList<string> extraTags)
    {
        /// <summary>The rows of the chunk being written.</summary>
        private List<ImportRow> Rows { get; set; } = [];

        /// <summary>PostgreSQL: the object id of the sequence of <c>contacts.id</c>, read once.</summary>
        private long? contactSequence;

        /// <summary>PostgreSQL: the chunk's rows in the staging table's binary COPY format.</summary>
        private PostgresCopyRows? copyRows;

        /// <summary>PostgreSQL: the last chunk met addresses that had contacts (see <see cref="TryInsertPlainAsync"/>).</summary>
        private bool knownAddressesMet;

        /// <summary>
        /// The chunk's contacts to write (none suppressed), as one or two common table expressions <c>chunk (line_no,
        /// email_hash, contact_id)</c> each run by the statement that reads them: the contacts that existed before the
        /// chunk (<paramref name="updated"/> of them) and its new ones (<paramref name="inserted"/>), the latter under the
        /// ids the stage gave them (<c>new_id</c>) and in the order of those ids (the order of the file). Each comes with
        /// whether it is the new contacts': they were created by this transaction, which no other can see, so they have
        /// no subscription nor tag yet.
        /// </summary>
        private static IEnumerable<(string Cte, bool New)> ChunkContacts(long updated, long inserted)
        {
            if (updated > 0) yield return ("chunk (line_no, email_hash, contact_id) AS (SELECT line_no, email_hash, contact_id FROM import_stage WHERE contact_id IS NOT NULL)", false);
            if (inserted > 0) yield return ("chunk (line_no, email_hash, contact_id) AS (SELECT line_no, email_hash, new_id FROM import_stage WHERE contact_id IS NULL AND suppressed = 0)", true);
        }

        private bool Sqlite => db.Kind == DatabaseKind.Sqlite;

        public async Task WriteAsync(ImportChunk chunk, CancellationToken ct)
        {
            Rows = chunk.Rows;
            copyRows = chunk.Copy;
            var (rowsDone, done, issues) = (chunk.RowsDone, chunk.Done, chunk.Issues);
            await using var tx = await AudienceSql.BeginWriteAsync(connection, ct).ConfigureAwait(false);
            var now = AudienceSql.Now(db);
            var counts = Rows.Count > 0 ? await WriteRowsAsync(tx, now, ct).ConfigureAwait(false) : default;
            if (issues.Count > 0)
            {
                await MultiRowInsert.RunAsync(connection, tx,
                    "INSERT INTO import_rows (job_id, row_number, email, outcome, reason)", "ON CONFLICT (job_id, row_number) DO NOTHING",
                    [DbType.Int64, DbType.Int64, DbType.String, DbType.String, DbType.String],
                    [.. issues.Select(i => new object?[] { job.Id, i.Row, i.Email, i.Outcome, i.Reason })], ct).ConfigureAwait(false);
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
                    id = job.Id, rowsDone, inserted = counts.Inserted, updated = counts.Updated, suppressed = counts.Suppressed, warnings = counts.Warnings, now, state = done ? "done" : "running",
                    rejected = (long)issues.Count,
                }, tx, cancellationToken: ct)).ConfigureAwait(false);
            await tx.CommitAsync(ct).ConfigureAwait(false);
            Rows = [];
            copyRows = null;
        }

        private async Task<(long Inserted, long Updated, long Suppressed, long Warnings)> WriteRowsAsync(DbTransaction tx, long now, CancellationToken ct)
        {
            // SQLite: the largest contact id given before the chunk (erased ones included); its new contacts are numbered
            // from the next one on.
            var lastId = Sqlite
                ? await connection.QuerySingleAsync<long>(new CommandDefinition("SELECT " + AudienceSql.SqliteLastId("contacts"), null, tx, cancellationToken: ct)).ConfigureAwait(false)
                : 0;
            await StageAsync(tx, lastId, ct).ConfigureAwait(false);

            // Suppressed addresses: marked by a join with the suppression list, reported, and left out of every write below.
            var suppressed = await ExecuteAsync(tx,
                "UPDATE import_stage SET suppressed = 1 WHERE EXISTS (SELECT 1 FROM suppressions x WHERE x.email_hash = import_stage.email_hash)", null, ct).ConfigureAwait(false);
            if (suppressed > 0)
            {
                await ExecuteAsync(tx,
                    """
                    INSERT INTO import_rows (job_id, row_number, email, outcome, reason)
                    SELECT @job, s.line_no, CASE WHEN x.reason = 'erased' THEN NULL ELSE s.email END, 'suppressed',
                        CASE WHEN x.reason = 'erased' THEN 'the address was erased at the person''s request' ELSE 'the address is suppressed (' || x.reason || ')' END
                    FROM import_stage s JOIN suppressions x ON x.email_hash = s.email_hash
                    WHERE s.suppressed = 1
                    ON CONFLICT (job_id, row_number) DO NOTHING
                    """, new { job = job.Id }, ct).ConfigureAwait(false);
            }

            // Upsert by address: existing contacts are updated, the others inserted under the ids the stage gave them.
            var (inserted, updated) = await InsertFirstAsync(tx, Rows.Count - suppressed, now, ct).ConfigureAwait(false);
            if (updated > 0)
            {
                await ExecuteAsync(tx,
                    $"""
                    UPDATE contacts SET name = COALESCE(s.name, contacts.name), language = COALESCE(s.language, contacts.language),
                        time_zone = COALESCE(s.time_zone, contacts.time_zone), validation = s.validation, validation_detail = s.validation_detail,
                        fields = {MergeFields("contacts.fields", "s.fields")}, updated_at = @now
                    FROM import_stage s WHERE s.contact_id = contacts.id
                    """, new { now }, ct).ConfigureAwait(false);
            }

            var rowTags = Rows.Any(r => r.Tags.Count > 0);
            foreach (var (chunk, isNew) in ChunkContacts(updated, inserted))
            {
                foreach (var tag in extraTags)
                {
                    await ExecuteAsync(tx,
                        $"WITH {chunk} INSERT INTO contact_tags (contact_id, tag, tag_key) SELECT contact_id, @tag, @key FROM chunk WHERE true {(isNew ? "" : "ORDER BY contact_id")} ON CONFLICT DO NOTHING",
                        new { tag, key = CaseFold.Of(tag) }, ct).ConfigureAwait(false);
                }

                if (rowTags)
                {
                    await ExecuteAsync(tx,
                        $"""
                        WITH {chunk}
                        INSERT INTO contact_tags (contact_id, tag, tag_key)
                        SELECT s.contact_id, t.tag, t.tag_key FROM import_stage_tags t JOIN chunk s ON s.line_no = t.line_no
                        WHERE true
                        ON CONFLICT DO NOTHING
                        """, null, ct).ConfigureAwait(false);
                }
            }

            if (options.ListId is { } listId) await SubscribeAsync(tx, listId, now, updated, inserted, ct).ConfigureAwait(false);
            var warnings = await ExecuteAsync(tx,
                """
                INSERT INTO import_rows (job_id, row_number, email, outcome, reason)
                SELECT @job, line_no, email, 'warning', warning FROM import_stage WHERE warning IS NOT NULL AND suppressed = 0
                ON CONFLICT (job_id, row_number) DO NOTHING
                """, new { job = job.Id }, ct).ConfigureAwait(false);
            if (Sqlite) await ExecuteAsync(tx, "DROP TABLE temp.import_stage; DROP TABLE IF EXISTS temp.import_stage_tags", null, ct).ConfigureAwait(false);
            return (inserted, updated, suppressed, warnings);
        }

        /// <summary>
        /// Inserts the chunk's rows under the ids the stage gave them (<c>new_id</c>), skipping the addresses already
        /// present (<c>ON CONFLICT DO NOTHING</c>), and only when some were skipped finds those contacts by address (under
        /// an id other than the row's own). A chunk of new addresses (the common case) thus costs no look-up in the
        /// contacts table (on PostgreSQL a join of the stage with the whole table, which grew with it) and no
        /// <c>RETURNING</c> of ids written back into the stage. The ids are free: on SQLite the chunk's transaction holds
        /// the database's write lock from before the largest id was read; on PostgreSQL they come from the contacts' own
        /// sequence, which never gives a value twice, whoever else inserts contacts meanwhile, and a conflict on the
        /// address with another writer is settled by the unique index (an address another transaction inserted first is
        /// skipped here, and found and updated below, as an upsert would). A conflict on the id itself has no clause and
        /// would fail the chunk rather than write under a wrong id. Every row must end up inserted or found: a contact
        /// deleted between the two statements fails the chunk (which rolls back, and the import can be run again to
        /// resume) rather than leave a row without a contact. A skipped row leaves its id unused, as an upsert that
        /// updates uses up an identity value on PostgreSQL.
        /// </summary>
        private async Task<(long Inserted, long Updated)> InsertFirstAsync(DbTransaction tx, long candidates, long now, CancellationToken ct)
        {
            if (candidates == 0) return (0, 0);
            if (!Sqlite && !knownAddressesMet && await TryInsertPlainAsync(tx, now, ct).ConfigureAwait(false) is { } plain) return (plain, 0);
            // SQLite reads the stage in the order of its key (line_no) anyway, so its new contacts are appended in id order.
            var inserted = await ExecuteAsync(tx,
                $"""
                INSERT INTO contacts (id, email, name, language, time_zone, validation, validation_detail, fields, created_at, updated_at)
                SELECT new_id, email, name, language, time_zone, validation, validation_detail, fields, @now, @now
                FROM import_stage WHERE suppressed = 0 {(Sqlite ? "ORDER BY line_no" : "")}
                ON CONFLICT (email) DO NOTHING
                """, new { now }, ct).ConfigureAwait(false);
            knownAddressesMet = inserted < candidates;
            if (inserted == candidates) return (inserted, 0);

            // The skipped rows: their address has a contact under another id than the one the row would have had.
            var updated = await ExecuteAsync(tx,
                "UPDATE import_stage SET contact_id = c.id FROM contacts c WHERE c.email = import_stage.email AND c.id <> import_stage.new_id AND import_stage.suppressed = 0",
                null, ct).ConfigureAwait(false);
            if (inserted + updated != candidates)
            {
                throw new InvalidOperationException(
                    $"of {candidates} contacts of the chunk {inserted} were inserted and {updated} found: contacts were deleted while it was written; run the import again to resume");
            }

            return (inserted, updated);
        }

        /// <summary>
        /// PostgreSQL: inserts the chunk's rows without a conflict clause, under a savepoint, and gives the count; or, when
        /// an address turns out to have a contact already, rolls back to the savepoint and gives null (the caller then
        /// inserts with <c>ON CONFLICT DO NOTHING</c>). An insert with a conflict clause is a speculative insertion: it
        /// probes the address index before each row, marks the row speculative and confirms it afterwards (a WAL record
        /// more per row), and measured 1.25–2 times the plain insert of the same new contacts. A chunk of new
        /// addresses, the common case, pays the plain insert and a savepoint; one that meets a known address pays what
        /// its plain insert did up to that row, and the chunks after it go straight to the conflict clause until one of
        /// them meets no known address. A violation of any other constraint (the id) fails the chunk.
        /// </summary>
        private async Task<long?> TryInsertPlainAsync(DbTransaction tx, long now, CancellationToken ct)
        {
            const string Savepoint = "import_plain_insert";
            await tx.SaveAsync(Savepoint, ct).ConfigureAwait(false);
            try
            {
                var inserted = await ExecuteAsync(tx,
                    """
                    INSERT INTO contacts (id, email, name, language, time_zone, validation, validation_detail, fields, created_at, updated_at)
                    SELECT new_id, email, name, language, time_zone, validation, validation_detail, fields, @now, @now
                    FROM import_stage WHERE suppressed = 0
                    """, new { now }, ct).ConfigureAwait(false);
                await tx.ReleaseAsync(Savepoint, ct).ConfigureAwait(false);
                return inserted;
            }
            catch (PostgresException e) when (e.SqlState == PostgresErrorCodes.UniqueViolation && e.ConstraintName == "contacts_email_key")
            {
                await tx.RollbackAsync(Savepoint, ct).ConfigureAwait(false);
                knownAddressesMet = true;
                return null;
            }
        }

        /// <summary>Writes the chunk's rows (and their own tags) into the staging tables: on PostgreSQL sends the rows the
        /// reading thread encoded (<see cref="ImportChunk.Copy"/>); on SQLite steps them in, each with the id it gets if new.</summary>
        private async Task StageAsync(DbTransaction tx, long lastId, CancellationToken ct)
        {
            var sqlite = Sqlite;
            List<(string Name, StageType Type)> columns = [.. StageColumns];
            if (sqlite) columns.Add(("new_id", StageType.Integer));
            var definitions = string.Join(", ", columns.Select(c => c.Name + " " + SqlType(c.Type, sqlite)));
            if (!sqlite)
            {
                // Each row takes the id it gets if new from the contacts' own sequence as it is copied in (the sequence never
                // gives a value twice, whoever else inserts contacts meanwhile). The sequence is named by its number, read
                // from the catalog: a default cannot be a parameter.
                contactSequence ??= await connection.QuerySingleAsync<long>(new CommandDefinition(
                    "SELECT CAST(CAST(CAST(pg_get_serial_sequence('contacts', 'id') AS regclass) AS oid) AS bigint)", null, tx, cancellationToken: ct)).ConfigureAwait(false);
                definitions += string.Create(CultureInfo.InvariantCulture, $", new_id BIGINT NOT NULL DEFAULT nextval(CAST(CAST({contactSequence.Value} AS oid) AS regclass))");
            }

            var tail = sqlite ? "" : " ON COMMIT DROP";
            var hasTags = Rows.Any(r => r.Tags.Count > 0);
            var ddl = new StringBuilder();
            if (sqlite) ddl.Append("DROP TABLE IF EXISTS temp.import_stage; DROP TABLE IF EXISTS temp.import_stage_tags; ");
            ddl.Append(CultureInfo.InvariantCulture, $"CREATE TEMP TABLE import_stage ({definitions}, suppressed INTEGER NOT NULL DEFAULT 0, contact_id {SqlType(StageType.Integer, sqlite)}){tail};");
            if (hasTags) ddl.Append(CultureInfo.InvariantCulture, $" CREATE TEMP TABLE import_stage_tags (line_no {SqlType(StageType.Integer, sqlite)} NOT NULL, tag TEXT NOT NULL, tag_key TEXT NOT NULL){tail};");
            if (sqlite) ddl.Replace("line_no INTEGER,", "line_no INTEGER PRIMARY KEY,");
            await ExecuteAsync(tx, ddl.ToString(), null, ct).ConfigureAwait(false);

            if (copyRows is { } encoded)
            {
                // The rows were encoded by the reading thread: the COPY only sends them.
                await using var raw = await ((NpgsqlConnection)connection).BeginRawBinaryCopyAsync(
                    $"COPY import_stage ({string.Join(", ", StageColumns.Select(c => c.Name))}) FROM STDIN (FORMAT BINARY)", ct).ConfigureAwait(false);
                await raw.WriteAsync(encoded.Finish(), ct).ConfigureAwait(false);
            }
            else
            {
                await using var stage = await ImportStage.OpenAsync(connection, "import_stage", columns, ct).ConfigureAwait(false);
                var place = 0L;
                foreach (var row in Rows)
                {
                    stage.StartRow();
                    StageRow(stage, row);
                    if (sqlite) stage.Integer(lastId + ++place);
                    stage.EndRow();
                }

                await stage.CompleteAsync(ct).ConfigureAwait(false);
            }

            if (hasTags)
            {
                await using var stage = await ImportStage.OpenAsync(connection, "import_stage_tags", [("line_no", StageType.Integer), ("tag", StageType.Text), ("tag_key", StageType.Text)], ct).ConfigureAwait(false);
                foreach (var row in Rows)
                {
                    foreach (var tag in row.Tags)
                    {
                        stage.StartRow();
                        stage.Integer(row.Row);
                        stage.Text(tag);
                        stage.Text(CaseFold.Of(tag));
                        stage.EndRow();
                    }
                }

                await stage.CompleteAsync(ct).ConfigureAwait(false);
            }

            // A temporary table has no statistics until analysed; the planner needs them to pick index lookups over scans.
            // A small sample is enough for that (the row count, the share of nulls), and costs a tenth of the default.
            if (!sqlite)
            {
                await ExecuteAsync(tx, "SET LOCAL default_statistics_target = 10; " + (hasTags ? "ANALYZE import_stage; ANALYZE import_stage_tags" : "ANALYZE import_stage"), null, ct).ConfigureAwait(false);
            }
        }

        /// <summary>A contact's stored field object with the chunk's values of the row merged in (the row's win).</summary>
        private string MergeFields(string stored, string staged) => Sqlite
            ? $"CASE WHEN {staged} IS NULL THEN {stored} WHEN {stored} IS NULL THEN {staged} ELSE json_patch({stored}, {staged}) END"
            : $"CASE WHEN {staged} IS NULL THEN {stored} WHEN {stored} IS NULL THEN {staged} ELSE {stored} || {staged} END";

        /// <summary>
        /// Subscribes the chunk's contacts that are not on the list yet, each subscription naming the job's consent record;
        /// never one on the suppression list (an anti-join, whatever the marks above say: it sees a suppression added
        /// since they were made), and never one who has a subscription already. The chunk's new contacts were created by
        /// this transaction, unseen by any other, so they have none: their insert neither looks for one nor has a
        /// conflict clause (were that ever wrong, the chunk would fail on the subscription's key, not skip a row).
        /// </summary>
        private async Task SubscribeAsync(DbTransaction tx, long listId, long now, long updated, long inserted, CancellationToken ct)
        {
            foreach (var (chunk, isNew) in ChunkContacts(updated, inserted))
            {
                await ExecuteAsync(tx,
                    $"""
                    WITH {chunk}
                    INSERT INTO subscriptions (contact_id, list_id, status, consent_record_id, created_at, updated_at)
                    SELECT s.contact_id, @list, 'subscribed', @record, @now, @now
                    FROM chunk s
                    WHERE NOT EXISTS (SELECT 1 FROM suppressions x WHERE x.email_hash = s.email_hash)
                    {(isNew ? "" : """
                        AND NOT EXISTS (SELECT 1 FROM subscriptions b WHERE b.contact_id = s.contact_id AND b.list_id = @list)
                        ORDER BY s.contact_id
                        ON CONFLICT (contact_id, list_id) DO NOTHING
                        """)}
                    """,
                    new { list = listId, now, record = job.ConsentRecordId }, ct).ConfigureAwait(false);
            }
        }

        private async Task<long> ExecuteAsync(DbTransaction tx, string sql, object? parameters, CancellationToken ct) =>
            await connection.ExecuteAsync(new CommandDefinition(sql, parameters, tx, commandTimeout: 0, cancellationToken: ct)).ConfigureAwait(false);

        private static string SqlType(StageType type, bool sqlite) => type switch
        {
            StageType.Text => "TEXT",
            StageType.Number => sqlite ? "REAL" : "DOUBLE PRECISION",
            StageType.Json => sqlite ? "TEXT" : "JSONB",
            _ => sqlite ? "INTEGER" : "BIGINT",
        };
    }

    private sealed class JobRow
    {
        public const string Columns =
            "id AS Id, file_name AS FileName, consent_source AS ConsentSource, state AS State, rows_done AS RowsDone, inserted AS Inserted, updated AS Updated, " +
            "rejected AS Rejected, suppressed AS Suppressed, warnings AS Warnings, consent_record_id AS ConsentRecordId";

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
        public long? ConsentRecordId { get; set; }
        public bool Resumed { get; set; }
        public string Encoding { get; set; } = "";
    }
}

