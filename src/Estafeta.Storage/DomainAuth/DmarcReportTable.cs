using Dapper;

namespace Estafeta.Storage;

/// <summary>The aggregate reports received at the domains' report addresses.</summary>
public sealed class DmarcReportTable(Database db)
{
    /// <summary>Stores a report; false when the same reporter's report id was stored before.</summary>
    public async Task<bool> AddAsync(ReceivedDmarcReport report, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);
        var exists = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM dmarc_reports_received WHERE org_name = @OrgName AND report_id = @ReportId",
            new { report.OrgName, report.ReportId }, tx, cancellationToken: ct)).ConfigureAwait(false);
        if (exists > 0) return false;
        var id = await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            """
            INSERT INTO dmarc_reports_received (domain, org_name, report_id, begin_at, end_at, received_at)
            VALUES (@Domain, @OrgName, @ReportId, @begin, @end, @now) RETURNING id
            """,
            new { report.Domain, report.OrgName, report.ReportId, begin = report.Begin.ToUnixTimeMilliseconds(), end = report.End.ToUnixTimeMilliseconds(), now = db.NowMilliseconds() },
            tx, cancellationToken: ct)).ConfigureAwait(false);
        foreach (var row in report.Rows)
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO dmarc_report_rows (report_id, source_ip, message_count, disposition, dkim_evaluated, spf_evaluated, header_from)
                VALUES (@id, @SourceIp, @Count, @Disposition, @DkimEvaluated, @SpfEvaluated, @HeaderFrom)
                """, new { id, row.SourceIp, row.Count, row.Disposition, row.DkimEvaluated, row.SpfEvaluated, row.HeaderFrom }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }
        await tx.CommitAsync(ct).ConfigureAwait(false);
        return true;
    }

    /// <summary>The stored reports, for one domain or all, oldest first.</summary>
    public async Task<IReadOnlyList<ReceivedDmarcReport>> ListAsync(string? domain = null, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var reports = (await connection.QueryAsync<ReportRow>(new CommandDefinition(
            """
            SELECT id AS Id, domain AS Domain, org_name AS OrgName, report_id AS ReportId, begin_at AS BeginAt, end_at AS EndAt
            FROM dmarc_reports_received WHERE @domain IS NULL OR domain = @domain ORDER BY begin_at, id
            """, new { domain }, cancellationToken: ct)).ConfigureAwait(false)).ToList();
        var rows = (await connection.QueryAsync<RecordRow>(new CommandDefinition(
            """
            SELECT r.report_id AS ReportId, r.source_ip AS SourceIp, r.message_count AS MessageCount, r.disposition AS Disposition,
                   r.dkim_evaluated AS DkimEvaluated, r.spf_evaluated AS SpfEvaluated, r.header_from AS HeaderFrom
            FROM dmarc_report_rows r JOIN dmarc_reports_received p ON p.id = r.report_id
            WHERE @domain IS NULL OR p.domain = @domain ORDER BY r.id
            """, new { domain }, cancellationToken: ct)).ConfigureAwait(false)).ToLookup(r => r.ReportId);
        return [.. reports.Select(r => new ReceivedDmarcReport(r.Domain, r.OrgName, r.ReportId, Rows.Time(r.BeginAt), Rows.Time(r.EndAt),
            [.. rows[r.Id].Select(x => new ReceivedDmarcReportRow(x.SourceIp, x.MessageCount, x.Disposition, x.DkimEvaluated, x.SpfEvaluated, x.HeaderFrom))]))];
    }

    internal sealed class ReportRow
    {
        public long Id { get; set; }
        public string Domain { get; set; } = "";
        public string OrgName { get; set; } = "";
        public string ReportId { get; set; } = "";
        public long BeginAt { get; set; }
        public long EndAt { get; set; }
    }

    internal sealed class RecordRow
    {
        public long ReportId { get; set; }
        public string SourceIp { get; set; } = "";
        public long MessageCount { get; set; }
        public string Disposition { get; set; } = "";
        public string? DkimEvaluated { get; set; }
        public string? SpfEvaluated { get; set; }
        public string HeaderFrom { get; set; } = "";
    }
}
