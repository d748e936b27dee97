using Dapper;

namespace Estafeta.Storage;

/// <summary>The <c>dmarc_outcomes</c> of received mail and the <c>dmarc_reports_sent</c> about them.</summary>
public sealed class DmarcOutcomeTable(Database db)
{
    private const string Columns = """
        received_at AS ReceivedAt, policy_domain AS PolicyDomain, policy_record AS PolicyRecord, header_from AS HeaderFrom,
        source_ip AS SourceIp, envelope_from AS EnvelopeFrom, envelope_to AS EnvelopeTo, spf_result AS SpfResult,
        spf_domain AS SpfDomain, spf_aligned AS SpfAligned, dkim_aligned AS DkimAligned, dkim_results AS DkimResults,
        dmarc AS Dmarc, disposition AS Disposition, reasons AS Reasons
        """;

    public async Task AddAsync(DmarcOutcomeRow outcome, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await connection.ExecuteAsync(new CommandDefinition(
            """
            INSERT INTO dmarc_outcomes (received_at, policy_domain, policy_record, header_from, source_ip, envelope_from, envelope_to,
                spf_result, spf_domain, spf_aligned, dkim_aligned, dkim_results, dmarc, disposition, reasons)
            VALUES (@receivedAt, @PolicyDomain, @PolicyRecord, @HeaderFrom, @SourceIp, @EnvelopeFrom, @EnvelopeTo,
                @SpfResult, @SpfDomain, @spfAligned, @dkimAligned, @DkimResults, @Dmarc, @Disposition, @Reasons)
            """,
            new
            {
                receivedAt = outcome.ReceivedAt.ToUnixTimeMilliseconds(),
                outcome.PolicyDomain, outcome.PolicyRecord, outcome.HeaderFrom, outcome.SourceIp, outcome.EnvelopeFrom, outcome.EnvelopeTo,
                outcome.SpfResult, outcome.SpfDomain,
                spfAligned = outcome.SpfAligned ? 1L : 0L,
                dkimAligned = outcome.DkimAligned ? 1L : 0L,
                outcome.DkimResults, outcome.Dmarc, outcome.Disposition, outcome.Reasons,
            }, cancellationToken: ct)).ConfigureAwait(false);
    }

    /// <summary>The outcomes received in [<paramref name="from"/>, <paramref name="to"/>), oldest first.</summary>
    public async Task<IReadOnlyList<DmarcOutcomeRow>> ListAsync(DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        var rows = await connection.QueryAsync<OutcomeRow>(new CommandDefinition(
            $"SELECT {Columns} FROM dmarc_outcomes WHERE received_at >= @from AND received_at < @to ORDER BY received_at, id",
            new { from = from.ToUnixTimeMilliseconds(), to = to.ToUnixTimeMilliseconds() }, cancellationToken: ct)).ConfigureAwait(false);
        return [.. rows.Select(r => r.ToOutcome())];
    }

    /// <summary>Forgets outcomes older than <paramref name="before"/> (their reports are sent or too late).</summary>
    public async Task<int> DeleteBeforeAsync(DateTimeOffset before, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteAsync(new CommandDefinition(
            "DELETE FROM dmarc_outcomes WHERE received_at < @before", new { before = before.ToUnixTimeMilliseconds() }, cancellationToken: ct)).ConfigureAwait(false);
    }

    public async Task<bool> ReportSentAsync(string policyDomain, string day, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        return await connection.ExecuteScalarAsync<long>(new CommandDefinition(
            "SELECT COUNT(*) FROM dmarc_reports_sent WHERE policy_domain = @policyDomain AND day = @day",
            new { policyDomain, day }, cancellationToken: ct)).ConfigureAwait(false) > 0;
    }

    /// <summary>Records that the report of <paramref name="day"/> (yyyy-MM-dd) went out; false when it already had.</summary>
    public async Task<bool> MarkReportSentAsync(string policyDomain, string day, string reportId, long messages, string destinations, CancellationToken ct = default)
    {
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        try
        {
            await connection.ExecuteAsync(new CommandDefinition(
                """
                INSERT INTO dmarc_reports_sent (policy_domain, day, report_id, messages, destinations, sent_at)
                VALUES (@policyDomain, @day, @reportId, @messages, @destinations, @now)
                """, new { policyDomain, day, reportId, messages, destinations, now = db.NowMilliseconds() }, cancellationToken: ct)).ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (DatabaseErrors.IsUniqueViolation(e))
        {
            return false;
        }
    }

    internal sealed class OutcomeRow
    {
        public long ReceivedAt { get; set; }
        public string PolicyDomain { get; set; } = "";
        public string PolicyRecord { get; set; } = "";
        public string HeaderFrom { get; set; } = "";
        public string SourceIp { get; set; } = "";
        public string? EnvelopeFrom { get; set; }
        public string? EnvelopeTo { get; set; }
        public string SpfResult { get; set; } = "";
        public string? SpfDomain { get; set; }
        public long SpfAligned { get; set; }
        public long DkimAligned { get; set; }
        public string DkimResults { get; set; } = "";
        public string Dmarc { get; set; } = "";
        public string Disposition { get; set; } = "";
        public string Reasons { get; set; } = "";

        public DmarcOutcomeRow ToOutcome() => new(
            Rows.Time(ReceivedAt), PolicyDomain, PolicyRecord, HeaderFrom, SourceIp, EnvelopeFrom, EnvelopeTo, SpfResult, SpfDomain,
            SpfAligned != 0, DkimAligned != 0, DkimResults, Dmarc, Disposition, Reasons);
    }
}
