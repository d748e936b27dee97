using System.Net;
using Estafeta.Mail.Authentication;
using Estafeta.Mail.Outbound;
using Estafeta.Mail.Outbound.MtaSts;
using Estafeta.Storage;
using Estafeta.Testing;

namespace Estafeta.Mail.Tests.Authentication;

public sealed class DomainCheckTests
{
    private const string Domain = "ejemplo.test";
    private static readonly DateTimeOffset Now = new(2026, 11, 5, 10, 0, 0, TimeSpan.Zero);
    private static readonly IPAddress Ours = IPAddress.Parse("203.0.113.7");

    /// <summary>Everything domain records asks for, published.</summary>
    private static DnsZone GoodZone()
    {
        var zone = new DnsZone();
        foreach (var record in DomainRecords.Build(Domain, "mx.ejemplo.test", [Ours], TestKeys.Pair()).Records)
        {
            if (record.Type == "MX") zone.AddMx(Domain, 10, "mx.ejemplo.test");
            else zone.AddTxt(record.Name, [.. record.Strings]);
        }
        return zone.AddA("mta-sts.ejemplo.test", "192.0.2.80");
    }

    /// <summary>The policy file domain records shows, as the policy host serves it.</summary>
    private static readonly string GoodPolicy = DomainRecords.MtaStsPolicy("mx.ejemplo.test");

    private static async Task<DomainCheckResult> CheckAsync(DnsZone zone, DateTimeOffset? noneSince = null, IReadOnlyList<(DkimKeyInfo, MailAuth.Dkim.DkimPrivateKey)>? keys = null,
        HttpMessageHandler? policyHost = null, string hostName = "mx.ejemplo.test")
    {
        var dns = new InMemoryDnsResolver(zone);
        var clock = new ManualTimeProvider(Now);
        using var mtaSts = new MtaStsResolver(dns, clock, new OutboundOptions
        {
            MtaStsPolicyUri = d => new Uri($"http://policy.invalid/{d}"),
            MtaStsHttpHandler = policyHost ?? new StaticHttpHandler(GoodPolicy),
        });
        return await new DomainCheck(dns, clock, mtaSts).RunAsync(new DomainCheckInput(Domain, hostName, [Ours], keys ?? TestKeys.Pair(), noneSince));
    }

    private static RecordCheck Single(DomainCheckResult result, string record, RecordStatus status) =>
        Assert.Single(result.Checks, c => c.Record == record && c.Status == status);

    [Fact]
    public async Task A_zone_with_every_record_published_has_no_problems()
    {
        var result = await CheckAsync(GoodZone());

        Assert.False(result.HasProblems, string.Join("\n", result.Checks));
        Assert.All(result.Checks, c => Assert.Equal(RecordStatus.Ok, c.Status));
        Assert.Equal("authorises 203.0.113.7; 0 DNS lookups", Single(result, "SPF", RecordStatus.Ok).Detail);
    }

    [Fact]
    public async Task A_domain_that_does_not_exist_in_dns_is_named_so_rather_than_only_each_record_missing()
    {
        var mx = Single(await CheckAsync(new DnsZone()), "MX", RecordStatus.Missing);

        Assert.StartsWith("ejemplo.test does not exist in DNS (NXDOMAIN)", mx.Detail, StringComparison.Ordinal);
        Assert.Equal("publish: ejemplo.test. 3600 IN MX 10 mx.ejemplo.test.", mx.Fix);
    }

    [Theory]
    [InlineData("localhost")]
    [InlineData("127.0.0.1")]
    [InlineData("mx.localhost")]
    public async Task A_host_name_no_mx_can_name_is_the_first_fix_not_an_mx_record_naming_it(string hostName)
    {
        var zone = GoodZone().Remove(Domain, DnsRecordType.Mx);

        var result = await CheckAsync(zone, hostName: hostName);

        var mx = Single(result, "MX", RecordStatus.Missing);
        Assert.StartsWith($"The host name is \"{hostName}\": start the server with --hostname set to its public name (e.g. mx.ejemplo.test)", mx.Fix, StringComparison.Ordinal);
        Assert.DoesNotContain("IN MX", mx.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_spf_record_is_missing_with_the_record_to_publish()
    {
        var zone = GoodZone().Remove(Domain, DnsRecordType.Txt);

        var spf = Single(await CheckAsync(zone), "SPF", RecordStatus.Missing);

        Assert.Equal("publish: ejemplo.test. 3600 IN TXT \"v=spf1 ip4:203.0.113.7 -all\"", spf.Fix);
    }

    [Fact]
    public async Task Two_spf_records_are_wrong_and_the_fix_merges_them()
    {
        var zone = GoodZone().Remove(Domain, DnsRecordType.Txt)
            .AddTxt(Domain, "v=spf1 include:_spf.proveedor.test -all")
            .AddTxt(Domain, "v=spf1 ip4:198.51.100.0/24 ~all")
            .AddTxt("_spf.proveedor.test", "v=spf1 ip4:192.0.2.0/24 -all");

        var spf = Single(await CheckAsync(zone), "SPF", RecordStatus.Wrong);

        Assert.StartsWith("2 SPF records", spf.Detail, StringComparison.Ordinal);
        Assert.Equal("publish one record instead of them: ejemplo.test. 3600 IN TXT \"v=spf1 include:_spf.proveedor.test ip4:198.51.100.0/24 ip4:203.0.113.7 -all\"", spf.Fix);
    }

    [Fact]
    public async Task A_syntax_error_is_reported_with_its_position()
    {
        var zone = GoodZone().Remove(Domain, DnsRecordType.Txt).AddTxt(Domain, "v=spf1 ip4:203.0.113.7 inclde:x.test -all");

        var spf = Single(await CheckAsync(zone), "SPF", RecordStatus.Wrong);

        Assert.StartsWith("syntax error at column 24: ", spf.Detail, StringComparison.Ordinal);
        Assert.Contains("\n                       ^ ", spf.Detail, StringComparison.Ordinal);
        Assert.Equal("correct the record at the marked position; for this server alone it is: ejemplo.test. 3600 IN TXT \"v=spf1 ip4:203.0.113.7 -all\"", spf.Fix);
    }

    [Fact]
    public async Task More_than_ten_lookups_are_wrong_with_what_each_include_costs()
    {
        var zone = GoodZone().Remove(Domain, DnsRecordType.Txt)
            .AddTxt(Domain, "v=spf1 ip4:203.0.113.7 include:grande.test include:pequeno.test mx -all")
            .AddTxt("grande.test", "v=spf1 a mx include:mas.test ptr exists:x.test -all")
            .AddTxt("mas.test", "v=spf1 a mx a:b.test mx:c.test -all")
            .AddTxt("pequeno.test", "v=spf1 a -all");

        var spf = Single(await CheckAsync(zone), "SPF", RecordStatus.Wrong);

        Assert.Equal("13 DNS lookups, more than the 10 receivers allow (SPF permerror): include:grande.test costs 10, include:pequeno.test costs 2, mx costs 1", spf.Detail);
        Assert.Contains("at most 10 lookups", spf.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Our_addresses_not_authorised_get_a_record_that_adds_them()
    {
        var zone = GoodZone().Remove(Domain, DnsRecordType.Txt).AddTxt(Domain, "v=spf1 ip4:198.51.100.1 -all");

        var spf = Single(await CheckAsync(zone), "SPF", RecordStatus.Wrong);

        Assert.Equal("this server's addresses are not authorised: 203.0.113.7 (fail by -all)", spf.Detail);
        Assert.Equal("publish: ejemplo.test. 3600 IN TXT \"v=spf1 ip4:198.51.100.1 ip4:203.0.113.7 -all\"", spf.Fix);
    }

    [Fact]
    public async Task An_include_that_leads_nowhere_fails_the_record_for_everyone_and_the_fix_drops_it()
    {
        var zone = GoodZone().Remove(Domain, DnsRecordType.Txt).AddTxt(Domain, "v=spf1 ip4:198.51.100.1 include:_spf.proveedor-viejo.test -all");

        var spf = Single(await CheckAsync(zone), "SPF", RecordStatus.Wrong);

        Assert.Equal("the record fails with permerror, so receivers treat SPF as failed for all mail: include:_spf.proveedor-viejo.test of ejemplo.test leads to no SPF record", spf.Detail);
        // Before, the fix added our address after the broken include, which left the record failing as it was.
        Assert.Equal("correct the domain in include:_spf.proveedor-viejo.test, or remove it if that service no longer sends for you; without it: "
            + "ejemplo.test. 3600 IN TXT \"v=spf1 ip4:198.51.100.1 ip4:203.0.113.7 -all\"", spf.Fix);
    }

    [Fact]
    public async Task An_included_record_that_is_broken_itself_fails_the_record_with_its_reason()
    {
        var zone = GoodZone().Remove(Domain, DnsRecordType.Txt).AddTxt(Domain, "v=spf1 include:roto.test ip4:203.0.113.7 -all")
            .AddTxt("roto.test", "v=spf1 ip4:300.1.2.3 -all");

        var spf = Single(await CheckAsync(zone), "SPF", RecordStatus.Wrong);

        Assert.StartsWith("the record fails with permerror, so receivers treat SPF as failed for all mail: ", spf.Detail, StringComparison.Ordinal);
        Assert.Contains("roto.test", spf.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Too_many_lookups_is_said_once_even_when_our_address_comes_after_the_limit()
    {
        var zone = GoodZone().Remove(Domain, DnsRecordType.Txt)
            .AddTxt(Domain, "v=spf1 include:grande.test ip4:203.0.113.7 -all")
            .AddTxt("grande.test", "v=spf1 a mx a:a.test a:b.test a:c.test a:d.test a:e.test a:f.test a:g.test a:h.test -all");

        var spf = Single(await CheckAsync(zone), "SPF", RecordStatus.Wrong);

        Assert.StartsWith("11 DNS lookups, more than the 10 receivers allow", spf.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unpublished_dkim_key_is_missing_with_its_record()
    {
        var zone = GoodZone().Remove("e202611r._domainkey.ejemplo.test");

        var dkim = Single(await CheckAsync(zone), "DKIM rsa-sha256", RecordStatus.Missing);

        Assert.Equal("key not published: receivers cannot verify our signatures (dkim=permerror)", dkim.Detail);
        Assert.Equal("publish: " + DomainRecords.Dkim(TestKeys.Info("e202611r", "rsa-sha256"), TestKeys.Rsa).ZoneLine, dkim.Fix);
    }

    [Fact]
    public async Task A_published_key_that_is_not_ours_is_wrong()
    {
        var zone = GoodZone().Remove("e202611r._domainkey.ejemplo.test").AddTxt("e202611r._domainkey.ejemplo.test", [.. TestKeys.OtherRsa.DnsTxtStrings]);

        var dkim = Single(await CheckAsync(zone), "DKIM rsa-sha256", RecordStatus.Wrong);

        Assert.Equal("the published key does not match our private key: signatures will fail", dkim.Detail);
        Assert.StartsWith("replace it with: e202611r._domainkey.ejemplo.test. 3600 IN TXT (", dkim.Fix, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pending_key_seen_in_dns_is_reported_for_activation()
    {
        var pending = TestKeys.Info("e202612r", "rsa-sha256", DkimKeyState.Pending);
        var zone = GoodZone().AddTxt("e202612r._domainkey.ejemplo.test", [.. TestKeys.OtherRsa.DnsTxtStrings]);

        var result = await CheckAsync(zone, keys: [.. TestKeys.Pair(), (pending, TestKeys.OtherRsa)]);

        Assert.Equal(pending, Assert.Single(result.PendingKeysSeen));
        Assert.False(result.HasProblems);
    }

    [Fact]
    public async Task A_rotated_key_not_published_yet_is_listed_but_does_not_fail_the_check()
    {
        var pending = TestKeys.Info("e202612r", "rsa-sha256", DkimKeyState.Pending);

        var result = await CheckAsync(GoodZone(), keys: [.. TestKeys.Pair(), (pending, TestKeys.OtherRsa)]);

        var waiting = Single(result, "DKIM rsa-sha256", RecordStatus.Pending);
        Assert.Equal(("e202612r._domainkey.ejemplo.test", "new key not published yet: signing switches to it once it is"), (waiting.Name, waiting.Detail));
        Assert.StartsWith("publish: e202612r._domainkey.ejemplo.test. 3600 IN TXT", waiting.Fix, StringComparison.Ordinal);
        Assert.False(result.HasProblems);
        Assert.Empty(result.PendingKeysSeen);
    }

    [Fact]
    public async Task No_dmarc_record_is_missing_with_the_record_to_publish()
    {
        var zone = GoodZone().Remove("_dmarc.ejemplo.test");

        var dmarc = Single(await CheckAsync(zone), "DMARC", RecordStatus.Missing);

        Assert.Equal("publish: _dmarc.ejemplo.test. 3600 IN TXT \"v=DMARC1; p=none; rua=mailto:dmarc-reports@ejemplo.test\"", dmarc.Fix);
    }

    [Fact]
    public async Task P_none_for_more_than_thirty_days_is_weak_with_the_quarantine_record()
    {
        var result = await CheckAsync(GoodZone(), noneSince: Now.AddDays(-45));

        var dmarc = Single(result, "DMARC", RecordStatus.Weak);
        Assert.Equal("p=none for 45 days: mail forging the domain is still delivered", dmarc.Detail);
        Assert.EndsWith("publish: _dmarc.ejemplo.test. 3600 IN TXT \"v=DMARC1; p=quarantine; rua=mailto:dmarc-reports@ejemplo.test\"", dmarc.Fix, StringComparison.Ordinal);
        Assert.False(result.HasProblems);
        Assert.True(result.DmarcPolicyIsNone);
    }

    [Fact]
    public async Task Relying_on_pct_only_works_as_intended_under_rfc_7489()
    {
        var zone = GoodZone().Remove("_dmarc.ejemplo.test").AddTxt("_dmarc.ejemplo.test", "v=DMARC1; p=quarantine; pct=25; rua=mailto:dmarc-reports@ejemplo.test");

        var dmarc = Single(await CheckAsync(zone), "DMARC", RecordStatus.Weak);

        Assert.Equal("pct=25 only works as intended under RFC 7489: receivers following RFC 9989 ignore pct= and apply p=quarantine to all failing mail", dmarc.Detail);
        Assert.Equal("remove pct=; to try a stricter policy first, publish it with t=y (testing) instead", dmarc.Fix);
    }

    [Fact]
    public async Task An_external_rua_without_the_authorisation_record_is_unreachable()
    {
        var zone = GoodZone().Remove("_dmarc.ejemplo.test").AddTxt("_dmarc.ejemplo.test", "v=DMARC1; p=reject; rua=mailto:informes@analitica.test");

        var rua = Single(await CheckAsync(zone), "DMARC rua", RecordStatus.Wrong);

        Assert.Equal("rua mailto:informes@analitica.test is outside ejemplo.test and analitica.test does not accept its reports: receivers will not send them (RFC 9990)", rua.Detail);
        Assert.Equal("publish at the destination: ejemplo.test._report._dmarc.analitica.test. 3600 IN TXT \"v=DMARC1\"; or use rua=mailto:dmarc-reports@ejemplo.test", rua.Fix);

        zone.AddTxt("ejemplo.test._report._dmarc.analitica.test", "v=DMARC1");
        Assert.False((await CheckAsync(zone)).HasProblems);
    }

    [Fact]
    public async Task An_mx_that_points_elsewhere_is_wrong()
    {
        var zone = GoodZone().Remove(Domain, DnsRecordType.Mx).AddMx(Domain, 10, "mail.proveedor.test");

        var mx = Single(await CheckAsync(zone), "MX", RecordStatus.Wrong);

        Assert.Equal("MX points at mail.proveedor.test, not at this server (mx.ejemplo.test)", mx.Detail);
        Assert.Equal("replace the MX records with: ejemplo.test. 3600 IN MX 10 mx.ejemplo.test.", mx.Fix);
    }

    [Fact]
    public async Task Missing_mta_sts_and_tls_rpt_are_reported_but_optional()
    {
        var zone = GoodZone().Remove("_mta-sts.ejemplo.test").Remove("_smtp._tls.ejemplo.test");

        var result = await CheckAsync(zone);

        Assert.False(Single(result, "MTA-STS", RecordStatus.Missing).Required);
        Assert.False(Single(result, "TLS-RPT", RecordStatus.Missing).Required);
        Assert.False(result.HasProblems);
    }

    [Fact]
    public async Task An_mta_sts_record_is_ok_only_with_a_policy_senders_can_fetch_that_names_this_server()
    {
        var ok = Single(await CheckAsync(GoodZone()), "MTA-STS", RecordStatus.Ok);
        Assert.Equal("published; policy at https://mta-sts.ejemplo.test/.well-known/mta-sts.txt: mode testing, mx mx.ejemplo.test, max_age 604800", ok.Detail);

        var noHost = Single(await CheckAsync(GoodZone().Remove("mta-sts.ejemplo.test")), "MTA-STS", RecordStatus.Wrong);
        Assert.Equal("mta-sts.ejemplo.test has no address, so senders cannot fetch the policy and ignore the record", noHost.Detail);
        Assert.StartsWith("point mta-sts.ejemplo.test (A/AAAA or CNAME) at the HTTPS server", noHost.Fix, StringComparison.Ordinal);
        Assert.False(noHost.Required);

        var notFound = Single(await CheckAsync(GoodZone(), policyHost: new StaticHttpHandler("no", "text/html", System.Net.HttpStatusCode.NotFound)), "MTA-STS", RecordStatus.Wrong);
        Assert.Equal("the policy could not be fetched from https://mta-sts.ejemplo.test/.well-known/mta-sts.txt (sts-policy-fetch-error: the server answered HTTP 404 Not Found): senders ignore the record", notFound.Detail);

        var invalid = Single(await CheckAsync(GoodZone(), policyHost: new StaticHttpHandler("version: STSv1\nmode: sometimes\n")), "MTA-STS", RecordStatus.Wrong);
        Assert.Contains("(sts-policy-invalid: the file is not a valid STSv1 policy", invalid.Detail, StringComparison.Ordinal);

        var elsewhere = Single(await CheckAsync(GoodZone(), policyHost: new StaticHttpHandler("version: STSv1\r\nmode: enforce\r\nmx: *.proveedor.test\r\nmax_age: 86400\r\n")), "MTA-STS", RecordStatus.Wrong);
        Assert.Equal("the policy (mode enforce, mx *.proveedor.test, max_age 86400) does not name this server, mx.ejemplo.test: senders refuse to deliver mail to it", elsewhere.Detail);
        Assert.StartsWith("add the line \"mx: mx.ejemplo.test\" to the policy file, then publish a new id=: _mta-sts.ejemplo.test. 3600 IN TXT", elsewhere.Fix, StringComparison.Ordinal);

        var (two, noId) = (GoodZone().AddTxt("_mta-sts.ejemplo.test", "v=STSv1; id=otro"), GoodZone().Remove("_mta-sts.ejemplo.test").AddTxt("_mta-sts.ejemplo.test", "v=STSv1; id=no-vale!"));
        Assert.StartsWith("2 MTA-STS records: senders take that as no policy", Single(await CheckAsync(two), "MTA-STS", RecordStatus.Wrong).Detail, StringComparison.Ordinal);
        Assert.StartsWith("the record has no valid id=", Single(await CheckAsync(noId), "MTA-STS", RecordStatus.Wrong).Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v=TLSRPTv1; rua=mailto:postmaster@ejemplo.test", "reports go to mailto:postmaster@ejemplo.test, not to tls-reports@ejemplo.test: Estafeta reads those sent to postmaster@ejemplo.test but files each in the postmaster mailbox too")]
    [InlineData("v=TLSRPTv1; rua=mailto:informes@ejemplo.test", "reports go to mailto:informes@ejemplo.test, not to tls-reports@ejemplo.test: Estafeta does not read them")]
    [InlineData("v=TLSRPTv1;", "not a usable TLS-RPT record: the record has no rua= (where reports go)")]
    [InlineData("v=TLSRPTv1; rua=ftp://x.test", "not a usable TLS-RPT record: rua ftp://x.test is neither a mailto: nor an https: URI")]
    public async Task A_tls_rpt_record_that_does_not_send_reports_to_tls_reports_is_wrong_with_the_record_to_publish(string published, string detail)
    {
        var zone = GoodZone().Remove("_smtp._tls.ejemplo.test").AddTxt("_smtp._tls.ejemplo.test", published);

        var result = await CheckAsync(zone);

        var check = Single(result, "TLS-RPT", RecordStatus.Wrong);
        Assert.Equal(detail, check.Detail);
        Assert.Contains("_smtp._tls.ejemplo.test. 3600 IN TXT \"v=TLSRPTv1; rua=mailto:tls-reports@ejemplo.test\"", check.Fix, StringComparison.Ordinal);
        Assert.False(check.Required);
    }

    [Fact]
    public async Task Two_tls_rpt_records_are_wrong_and_the_one_record_is_ok()
    {
        var two = GoodZone().AddTxt("_smtp._tls.ejemplo.test", "v=TLSRPTv1; rua=mailto:otro@ejemplo.test");
        Assert.StartsWith("2 TLS-RPT records", Single(await CheckAsync(two), "TLS-RPT", RecordStatus.Wrong).Detail, StringComparison.Ordinal);

        var ok = Single(await CheckAsync(GoodZone()), "TLS-RPT", RecordStatus.Ok);
        Assert.Equal("reports go to tls-reports@ejemplo.test; see them with estafeta tlsrpt summary --domain ejemplo.test", ok.Detail);
    }

    [Fact]
    public void Terms_are_inserted_before_the_all_mechanism()
    {
        Assert.Equal("v=spf1 mx ip4:203.0.113.7 ~all", SpfRecordText.WithTerms("v=spf1 mx ~all", ["ip4:203.0.113.7"]));
        Assert.Equal("v=spf1 ip4:203.0.113.7 redirect=x.test", SpfRecordText.WithTerms("v=spf1 redirect=x.test", ["ip4:203.0.113.7"]));
        Assert.Equal("v=spf1 mx ip4:203.0.113.7", SpfRecordText.WithTerms("v=spf1 mx", ["ip4:203.0.113.7"]));
    }
}
