using System.Globalization;
using System.Text;
using System.Text.Json;
using Dapper;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// Writes contacts as CSV (a header, then one row per contact: email, name, language, time_zone, tags, created,
/// the list status when exporting a list, then every custom field; plain or for spreadsheet programs, see
/// <see cref="ExportFormat.SpreadsheetCsv"/>) or JSON lines (one object per contact),
/// all contacts or those of a list and/or a segment, in id order, a page at a time.
/// </summary>
public sealed class ContactExporter(Database db, ContactStore contacts)
{
    private const int PageSize = 1000;

    public async Task<long> ExportAsync(Stream output, ExportFormat format, long? listId, SegmentQuery? segment, CancellationToken ct = default)
    {
        var fields = await new FieldStore(db).ListAsync(ct).ConfigureAwait(false);
        var csv = format is ExportFormat.Csv or ExportFormat.SpreadsheetCsv;
        var delimiter = format == ExportFormat.SpreadsheetCsv ? ';' : ',';
        // StreamWriter writes the encoding's byte order mark first when it has one.
        var writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: format == ExportFormat.SpreadsheetCsv), 1 << 16, leaveOpen: true);
        await using (writer.ConfigureAwait(false))
        {
            if (csv)
            {
                var header = new StringBuilder();
                var columns = new List<string> { "email", "name", "language", "time_zone", "tags", "created" };
                if (listId is not null) columns.Add("subscription_status");
                columns.AddRange(fields.Select(f => f.Name));
                CsvCells.AppendRow(header, columns, guardFormulas: false, delimiter);
                await writer.WriteAsync(header, ct).ConfigureAwait(false);
            }

            long after = 0, count = 0;
            while (true)
            {
                var page = await PageAsync(after, listId, segment, ct).ConfigureAwait(false);
                if (page.Count == 0) break;
                var loaded = await LoadAsync(page.Select(p => p.Id).ToList(), ct).ConfigureAwait(false);
                var statuses = page.ToDictionary(p => p.Id, p => p.Status);
                var text = new StringBuilder();
                foreach (var c in loaded)
                {
                    if (csv)
                    {
                        var cells = new List<string>
                        {
                            c.Email, c.Name ?? "", c.Language ?? "", c.TimeZone ?? "", string.Join(';', c.Tags),
                            c.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
                        };
                        if (listId is not null) cells.Add(statuses[c.Id] ?? "");
                        cells.AddRange(fields.Select(f => FieldValues.Format(c.Fields.GetValueOrDefault(f.Name))));
                        CsvCells.AppendRow(text, cells, guardFormulas: true, delimiter);
                    }
                    else
                    {
                        var json = new Dictionary<string, object?>
                        {
                            ["email"] = c.Email, ["name"] = c.Name, ["language"] = c.Language, ["time_zone"] = c.TimeZone,
                            ["tags"] = c.Tags, ["created"] = c.CreatedAt.UtcDateTime,
                        };
                        if (listId is not null) json["subscription_status"] = statuses[c.Id];
                        json["fields"] = c.Fields;
                        text.Append(JsonSerializer.Serialize(json, JsonLetters.Options)).Append('\n');
                    }
                }

                await writer.WriteAsync(text, ct).ConfigureAwait(false);
                count += loaded.Count;
                after = page[^1].Id;
            }

            await writer.FlushAsync(ct).ConfigureAwait(false);
            return count;
        }
    }

    private async Task<List<(long Id, string? Status)>> PageAsync(long after, long? listId, SegmentQuery? segment, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var parameters = new DynamicParameters(segment?.Parameters);
        parameters.Add("after", after);
        parameters.Add("limit", (long)PageSize);
        parameters.Add("listId", listId);
        var join = listId is null ? "" : " JOIN subscriptions s ON s.contact_id = c.id AND s.list_id = @listId";
        var status = listId is null ? "NULL" : "s.status";
        var where = segment is null ? "" : $" AND ({segment.Where})";
        var rows = await connection.QueryAsync<(long Id, string? Status)>(new CommandDefinition(
            $"SELECT c.id, {status} FROM contacts c{join} WHERE c.id > @after{where} ORDER BY c.id LIMIT @limit", parameters, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows];
    }

    private async Task<IReadOnlyList<Contact>> LoadAsync(IReadOnlyList<long> ids, CancellationToken ct)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        return await contacts.LoadAsync(connection, null, ids, ct).ConfigureAwait(false);
    }
}
