namespace Estafeta.Storage.Tests;

public abstract class TlsReportTableTests(StorageBackend backend) : StorageTests(backend)
{
    private TlsReportTable Reports => new(Db);

    private static ReceivedTlsReport Report(string submitter, string reportId, string domain, DateTimeOffset end) => new(
        submitter, reportId, "Org " + submitter, "tlsrpt@" + submitter, end.AddDays(-1), end,
        [
            new ReceivedTlsPolicy("sts", domain, "version: STSv1\nmode: testing", "*.mx." + domain, 90, 10,
            [
                new ReceivedTlsFailure("certificate-expired", "192.0.2.1", "mx1." + domain, null, "198.51.100.1", 7, "https://x.test/info", null),
                new ReceivedTlsFailure("starttls-not-supported", null, "mx2." + domain, "mx2", null, 3, null, "E1"),
            ]),
            new ReceivedTlsPolicy("no-policy-found", "otro-" + domain, "", "", 5, 0, []),
        ]);

    [Fact]
    public async Task A_report_is_stored_with_its_policies_and_failures_and_read_back()
    {
        var domain = Names.Domain();
        var now = DateTimeOffset.UtcNow;
        Assert.True(await Reports.AddAsync(Report("sender.test", "r-" + domain, domain, now)));

        var stored = Assert.Single(await Reports.ListAsync(domain));
        Assert.Equal("sender.test", stored.Submitter);
        var policy = Assert.Single(stored.Policies);
        Assert.Equal(domain, policy.PolicyDomain);
        Assert.Equal(90, policy.SuccessfulSessions);
        Assert.Equal("version: STSv1\nmode: testing", policy.PolicyString);
        Assert.Equal(["certificate-expired", "starttls-not-supported"], policy.Failures.Select(f => f.ResultType));
        Assert.Equal("192.0.2.1", policy.Failures[0].SendingMtaIp);
        Assert.Null(policy.Failures[1].SendingMtaIp);
        Assert.Equal("E1", policy.Failures[1].FailureReasonCode);
        Assert.Equal(now.ToUnixTimeMilliseconds(), stored.End.ToUnixTimeMilliseconds());
    }

    [Fact]
    public async Task A_report_sent_again_by_the_same_submitter_is_not_stored_twice_even_when_both_copies_arrive_at_once()
    {
        var domain = Names.Domain();
        var report = Report("sender.test", "r-" + domain, domain, DateTimeOffset.UtcNow);

        var added = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Reports.AddAsync(report)));
        Assert.Equal(1, added.Count(a => a));
        Assert.False(await Reports.AddAsync(report));

        Assert.True(await Reports.AddAsync(report with { Submitter = "other.test" }));
        Assert.Equal(2, (await Reports.ListAsync(domain)).Count);
    }

    [Fact]
    public async Task Listing_filters_by_policy_domain_and_by_the_end_of_the_reported_period()
    {
        var domain = Names.Domain();
        var now = DateTimeOffset.UtcNow;
        await Reports.AddAsync(Report("a.test", "old-" + domain, domain, now.AddDays(-10)));
        await Reports.AddAsync(Report("a.test", "new-" + domain, domain, now.AddHours(-1)));

        Assert.Equal(2, (await Reports.ListAsync(domain)).Count);
        Assert.Equal("new-" + domain, Assert.Single(await Reports.ListAsync(domain, now.AddDays(-7))).ReportId);
        var other = await Reports.ListAsync("otro-" + domain);
        Assert.Equal(2, other.Count);
        Assert.All(other, r => Assert.Equal("no-policy-found", Assert.Single(r.Policies).PolicyType));
        Assert.Contains(await Reports.ListAsync(), r => r.ReportId == "new-" + domain && r.Policies.Count == 2);
    }
}

public sealed class TlsReportTableOnSqlite(SqliteBackend backend) : TlsReportTableTests(backend), IClassFixture<SqliteBackend>;

public sealed class TlsReportTableOnPostgres(PostgresBackend backend) : TlsReportTableTests(backend), IClassFixture<PostgresBackend>;
