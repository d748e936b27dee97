using Estafeta.Mail.Outbound.Tests.Support;
using Estafeta.MailAuth.TlsRpt;
using Estafeta.Storage;
using Estafeta.Testing;

namespace Estafeta.Mail.Outbound.Tests;

/// <summary>
/// The TLS reports the MTA sends to other domains (RFC 8460): a day with a session to seguro.test (MTA-STS enforce,
/// plaintext-only MX, so one failed session) is counted, then the running queue runner sends that day's report to
/// the mailto: addresses of seguro.test's <c>_smtp._tls</c> record, read as §3 says, through the outbound queue to
/// the MX of informes.test.
/// </summary>
public sealed class TlsReportingTests
{
    private const string FirstDay = "2025-03-03";

    [Theory]
    [InlineData("v=TLSRPTv1; rua=mailto:tls@informes.test", "tls@informes.test")]
    [InlineData("v=TLSRPTv1; rua=mailto:tls@informes.test,mailto:copia@informes.test, https://informes.test/tlsrpt", "copia@informes.test tls@informes.test")]
    [InlineData("v=TLSRPTv1;rua=https://informes.test/tlsrpt,mailto:tls@informes.test,ftp://informes.test/x", "tls@informes.test")]
    public async Task The_report_of_a_finished_day_goes_to_every_mailto_address_of_the_record(string record, string expected)
    {
        await using var h = await CountedDayAsync([record, "v=spf1 -all"]);

        await h.Runner.StartAsync();
        var mail = await WaitForAsync(() => h.Sinks[1].Mail, m => m.Count >= expected.Split(' ').Length);
        await WaitForAsync(() => new TlsReportStore(h.Db).PendingAsync(NextDay), p => p.Count == 0);

        Assert.Equal(expected, string.Join(' ', mail.SelectMany(m => m.To).Order(StringComparer.Ordinal)));
        foreach (var sent in mail)
        {
            var read = TlsReportReader.Read(sent.Data);
            Assert.True(read.Report is not null, read.Error);
            var policy = Assert.Single(read.Report.Policies);
            Assert.Equal(("seguro.test", "sts", 1L), (policy.PolicyDomain, policy.PolicyType, policy.FailedSessions));
            Assert.Equal("starttls-not-supported", Assert.Single(policy.FailureDetails).ResultType);
        }
    }

    [Theory]
    [InlineData("v=TLSRPTv1; rua=mailto:tls@informes.test", "v=TLSRPTv1; rua=mailto:copia@informes.test")] // two records: none is used (§3)
    [InlineData("v=TLSRPTv1; rua=tls@informes.test")] // not a URI
    [InlineData("v=TLSRPTv1;")] // no rua=
    [InlineData("v=TLSRPTv1; rua=https://informes.test/tlsrpt")] // reports go by mail only
    [InlineData("v=spf1 -all")] // no TLS-RPT record at all
    public async Task A_domain_without_exactly_one_valid_record_with_a_mailto_address_gets_no_report(params string[] txt)
    {
        await using var h = await CountedDayAsync(txt);

        await h.Runner.StartAsync();
        await WaitForAsync(() => new TlsReportStore(h.Db).PendingAsync(NextDay), p => p.Count == 0); // the day is done with

        Assert.Empty(h.Sinks[1].Mail);
        Assert.DoesNotContain(await h.Queue.ListAsync(), m => m.Recipients.Any(r => r.Address.EndsWith("@informes.test", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_report_whose_record_cannot_be_read_is_kept_and_sent_once_the_record_can_be_read()
    {
        await using var h = await CountedDayAsync(["v=TLSRPTv1; rua=mailto:tls@informes.test"]);
        h.Zone.TimeOut("_smtp._tls.seguro.test");
        int Lookups() => h.Dns.Queries.Count(q => q.Name == "_smtp._tls.seguro.test");

        await h.Runner.StartAsync();
        await WaitForAsync(() => Task.FromResult(Lookups()), n => n >= 1);
        Assert.Single(await new TlsReportStore(h.Db).PendingAsync(NextDay)); // kept: a temporary failure is not "no record"
        Assert.Empty(h.Sinks[1].Mail);

        h.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1)); // the next run, the record still unreadable
        await WaitForAsync(() => Task.FromResult(Lookups()), n => n >= 2);
        Assert.Single(await new TlsReportStore(h.Db).PendingAsync(NextDay));

        h.Zone.ClearFaults("_smtp._tls.seguro.test"); // readable again: the kept report goes out
        h.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));
        var mail = await WaitForAsync(() => Task.FromResult(h.Sinks[1].Mail), m => m.Count >= 1);
        Assert.Equal("tls@informes.test", Assert.Single(Assert.Single(mail).To));
        await WaitForAsync(() => new TlsReportStore(h.Db).PendingAsync(NextDay), p => p.Count == 0);
    }

    [Fact]
    public async Task A_report_whose_record_stays_unreadable_is_given_up_three_days_after_its_day()
    {
        await using var h = await CountedDayAsync(["v=TLSRPTv1; rua=mailto:tls@informes.test"]);
        h.Zone.TimeOut("_smtp._tls.seguro.test");
        h.Advance(TimeSpan.FromDays(3)); // the day ended three days ago (and a few hours)

        await h.Runner.StartAsync();
        await WaitForAsync(() => new TlsReportStore(h.Db).PendingAsync(h.Clock.GetUtcNow().UtcDateTime.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture)), p => p.Count == 0);

        Assert.Empty(h.Sinks[1].Mail);
    }

    private static string NextDay => "2025-03-04";

    /// <summary>A harness whose first day has one failed session with seguro.test counted, moved on to the next day.</summary>
    private static async Task<MtaHarness> CountedDayAsync(string[] txt)
    {
        var h = await MtaHarness.StartAsync(options: new OutboundOptions
        {
            MtaStsPolicyUri = d => new Uri($"http://policy.invalid/{d}"),
            MtaStsHttpHandler = new StaticHttpHandler("version: STSv1\r\nmode: enforce\r\nmx: *.seguro.test\r\nmax_age: 86400\r\n"),
        });
        try
        {
            h.Domain("seguro.test");
            h.Domain("informes.test", sink: 1);
            h.Zone.AddTxt("_mta-sts.seguro.test", "v=STSv1; id=20250301");
            foreach (var record in txt) h.Zone.AddTxt("_smtp._tls.seguro.test", record);
            await h.QueueAsync("sts", "ana@origen.test", "bea@seguro.test");
            await h.RunAsync();
            var counted = Assert.Single(await new TlsReportStore(h.Db).PendingAsync(NextDay));
            Assert.Equal((FirstDay, "seguro.test"), (counted.Day, counted.PolicyDomain));
            h.Advance(TimeSpan.FromDays(1));
            return h;
        }
        catch
        {
            await h.DisposeAsync();
            throw;
        }
    }

    /// <summary>Polls until <paramref name="done"/> holds (the runner works in the background); fails after a minute.</summary>
    private static async Task<T> WaitForAsync<T>(Func<T> read, Func<T, bool> done) => await WaitForAsync(() => Task.FromResult(read()), done);

    private static async Task<T> WaitForAsync<T>(Func<Task<T>> read, Func<T, bool> done)
    {
        var until = DateTime.UtcNow.AddMinutes(1);
        while (true)
        {
            var value = await read();
            if (done(value)) return value;
            if (DateTime.UtcNow > until) Assert.Fail("The queue runner did not get there within a minute.");
            await Task.Delay(50);
        }
    }
}
