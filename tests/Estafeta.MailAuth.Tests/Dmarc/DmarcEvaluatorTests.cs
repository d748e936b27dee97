using Estafeta.MailAuth.Dmarc;
using Estafeta.Testing;

namespace Estafeta.MailAuth.Tests.Dmarc;

public sealed class DmarcEvaluatorTests
{
    private static InMemoryDnsResolver Zone(params (string Name, string Record)[] records)
    {
        var dns = new InMemoryDnsResolver();
        foreach (var (name, record) in records) dns.Zone.AddTxt(name, record);
        return dns;
    }

    public static TheoryData<string, string, string, string, bool> SpfAlignment => new()
    {
        // record alignment, From domain, SPF domain, SPF result, aligned?
        { "r", "example.com", "example.com", "pass", true },
        { "r", "example.com", "bounce.example.com", "pass", true },
        { "r", "news.example.com", "bounce.example.com", "pass", true },
        { "r", "example.com", "example.net", "pass", false },
        { "r", "example.com", "notexample.com", "pass", false },
        { "r", "example.com", "example.com", "fail", false },
        { "s", "example.com", "example.com", "pass", true },
        { "s", "example.com", "bounce.example.com", "pass", false },
        { "s", "news.example.com", "example.com", "pass", false },
        { "s", "Example.COM", "example.com.", "pass", true },
    };

    [Theory]
    [MemberData(nameof(SpfAlignment))]
    public async Task Spf_aligns_by_the_record_alignment_mode(string mode, string from, string spfDomain, string result, bool aligned)
    {
        var dns = Zone(("_dmarc.example.com", $"v=DMARC1; p=reject; aspf={mode}"));
        var outcome = await new DmarcEvaluator(dns).EvaluateAsync(DmarcRequest.For(from, new DmarcSpfInput(spfDomain, result == "pass")));
        Assert.Equal(aligned, outcome.SpfAligned);
        Assert.Equal(aligned ? DmarcStatus.Pass : DmarcStatus.Fail, outcome.Status);
        Assert.Equal(aligned ? DmarcPolicy.None : DmarcPolicy.Reject, outcome.Disposition);
    }

    public static TheoryData<string, string, string, string?> DkimAlignment => new()
    {
        // record alignment, From domain, signatures (d:pass|fail, comma-separated), aligned d= or null
        { "r", "example.com", "example.com:pass", "example.com" },
        { "r", "example.com", "mail.example.com:pass", "mail.example.com" },
        { "r", "example.com", "example.com:fail,esp.example.net:pass", null },
        { "r", "example.com", "esp.example.net:pass,example.com:pass", "example.com" },
        { "s", "example.com", "mail.example.com:pass", null },
        { "s", "mail.example.com", "mail.example.com:pass", "mail.example.com" },
        { "r", "example.com", "", null },
    };

    [Theory]
    [MemberData(nameof(DkimAlignment))]
    public async Task A_passing_dkim_signature_aligns_by_the_record_alignment_mode(string mode, string from, string signatures, string? aligned)
    {
        var dns = Zone(("_dmarc.example.com", $"v=DMARC1; p=quarantine; adkim={mode}"));
        var dkim = signatures.Split(',', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split(':')).Select(p => new DmarcDkimInput(p[0], p[1] == "pass")).ToArray();
        var outcome = await new DmarcEvaluator(dns).EvaluateAsync(DmarcRequest.For(from, null, dkim));
        Assert.Equal(aligned, outcome.AlignedDkimDomain);
        Assert.Equal(aligned is null ? DmarcPolicy.Quarantine : DmarcPolicy.None, outcome.Disposition);
    }

    [Fact]
    public async Task Relaxed_alignment_follows_tree_walk_organizational_domains()
    {
        // dept.example.com declares itself an organizational domain: example.com mail no longer aligns with it.
        var dns = Zone(("_dmarc.example.com", "v=DMARC1; p=reject"), ("_dmarc.dept.example.com", "v=DMARC1; p=reject; psd=n"));
        var evaluator = new DmarcEvaluator(dns);
        var separate = await evaluator.EvaluateAsync(DmarcRequest.For("dept.example.com", new DmarcSpfInput("example.com", true)));
        Assert.Equal(DmarcStatus.Fail, separate.Status);
        Assert.Equal("dept.example.com", separate.OrganizationalDomain);
        var inside = await evaluator.EvaluateAsync(DmarcRequest.For("mail.dept.example.com", new DmarcSpfInput("bounce.dept.example.com", true)));
        Assert.Equal(DmarcStatus.Pass, inside.Status);
    }

    [Fact]
    public async Task The_subdomain_policy_applies_to_an_existing_subdomain()
    {
        var dns = Zone(("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine; np=none"));
        dns.Zone.AddA("shop.example.com", "192.0.2.1");
        var outcome = await new DmarcEvaluator(dns).EvaluateAsync(DmarcRequest.For("shop.example.com"));
        Assert.Equal(DmarcStatus.Fail, outcome.Status);
        Assert.Equal(DmarcDomainRelation.Subdomain, outcome.Relation);
        Assert.Equal(DmarcPolicy.Quarantine, outcome.Disposition);
        Assert.Equal("example.com", outcome.PolicyDomain);
    }

    [Fact]
    public async Task The_np_policy_applies_to_a_subdomain_that_does_not_exist()
    {
        var dns = Zone(("_dmarc.example.com", "v=DMARC1; p=none; sp=none; np=reject"));
        dns.Zone.AddA("example.com", "192.0.2.1");
        var outcome = await new DmarcEvaluator(dns).EvaluateAsync(DmarcRequest.For("invented.example.com"));
        Assert.Equal(DmarcDomainRelation.NonexistentSubdomain, outcome.Relation);
        Assert.Equal(DmarcPolicy.Reject, outcome.Disposition);
        Assert.Contains("np=reject", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_policy_at_a_psd_applies_np_to_names_that_do_not_exist_under_it()
    {
        var dns = Zone(("_dmarc.gov.example", "v=DMARC1; p=none; psd=y; np=reject"));
        var outcome = await new DmarcEvaluator(dns).EvaluateAsync(DmarcRequest.For("nosuch.gov.example"));
        Assert.Equal("gov.example", outcome.PolicyDomain);
        Assert.Equal("nosuch.gov.example", outcome.OrganizationalDomain);
        Assert.Equal(DmarcPolicy.Reject, outcome.Disposition);
    }

    [Fact]
    public async Task Testing_mode_fails_without_applying_the_policy_and_says_why()
    {
        var dns = Zone(("_dmarc.example.com", "v=DMARC1; p=reject; t=y"));
        var outcome = await new DmarcEvaluator(dns).EvaluateAsync(DmarcRequest.For("example.com", new DmarcSpfInput("evil.example", true)));
        Assert.Equal(DmarcStatus.Fail, outcome.Status);
        Assert.Equal(DmarcPolicy.None, outcome.Disposition);
        Assert.Equal(DmarcPolicy.Reject, outcome.RequestedPolicy);
        Assert.True(outcome.PolicyTestMode);
        Assert.Contains("t=y", outcome.Reason, StringComparison.Ordinal);
        Assert.Equal("dmarc=fail (p=reject dis=none t=y) header.from=example.com", outcome.ToAuthenticationResults());
    }

    [Fact]
    public async Task A_dns_failure_during_discovery_is_a_temperror()
    {
        var dns = new InMemoryDnsResolver();
        dns.Zone.FailWithServerFailure("_dmarc.example.com");
        var outcome = await new DmarcEvaluator(dns).EvaluateAsync(DmarcRequest.For("mail.example.com", new DmarcSpfInput("example.com", true)));
        Assert.Equal(DmarcStatus.TempError, outcome.Status);
        Assert.Equal(DmarcPolicy.None, outcome.Disposition);
        Assert.Contains("_dmarc.example.com", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task No_record_anywhere_is_none_and_names_the_queries()
    {
        var outcome = await new DmarcEvaluator(new InMemoryDnsResolver()).EvaluateAsync(DmarcRequest.For("mail.example.org"));
        Assert.Equal(DmarcStatus.None, outcome.Status);
        Assert.Contains("_dmarc.example.org", outcome.Reason, StringComparison.Ordinal);
        Assert.StartsWith("dmarc=none (", outcome.ToAuthenticationResults(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pass_is_formatted_for_authentication_results()
    {
        var dns = Zone(("_dmarc.example.com", "v=DMARC1; p=reject"));
        var outcome = await new DmarcEvaluator(dns).EvaluateAsync(DmarcRequest.For("example.com", null, new DmarcDkimInput("example.com", true)));
        Assert.Equal("dmarc=pass (p=reject dis=none) header.from=example.com", outcome.ToAuthenticationResults());
        Assert.Contains("aligned DKIM signature from example.com", outcome.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_several_from_domains_the_strictest_failure_decides()
    {
        var dns = Zone(("_dmarc.a.example", "v=DMARC1; p=quarantine"), ("_dmarc.b.example", "v=DMARC1; p=reject"), ("_dmarc.c.example", "v=DMARC1; p=reject"));
        var request = new DmarcRequest
        {
            FromDomains = ["a.example", "b.example", "c.example", "A.example"],
            Dkim = [new DmarcDkimInput("c.example", true)],
        };
        var outcome = await new DmarcEvaluator(dns).EvaluateAsync(request);
        Assert.Equal(DmarcStatus.Fail, outcome.Status);
        Assert.Equal(DmarcPolicy.Reject, outcome.Disposition);
        Assert.Equal("b.example", outcome.FromDomain);
        Assert.Equal(3, outcome.PerDomain.Count);
        Assert.Equal(DmarcStatus.Pass, outcome.PerDomain.Single(r => r.FromDomain == "c.example").Status);
    }

    [Fact]
    public async Task Several_from_addresses_in_one_domain_are_evaluated_once()
    {
        var dns = Zone(("_dmarc.example.com", "v=DMARC1; p=reject"));
        var outcome = await new DmarcEvaluator(dns).EvaluateAsync(new DmarcRequest { FromDomains = ["example.com", "EXAMPLE.com"], Spf = new DmarcSpfInput("example.com", true) });
        Assert.Equal(DmarcStatus.Pass, outcome.Status);
        Assert.Empty(outcome.PerDomain);
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a domain")]
    [InlineData("user@example.com")]
    public async Task A_message_without_a_usable_from_domain_is_a_permerror(string from)
    {
        var outcome = await new DmarcEvaluator(new InMemoryDnsResolver()).EvaluateAsync(DmarcRequest.For(from));
        Assert.Equal(DmarcStatus.PermError, outcome.Status);
    }

    [Fact]
    public async Task The_rfc_7489_method_uses_the_public_suffix_list()
    {
        var dns = Zone(("_dmarc.example.co.uk", "v=DMARC1; p=reject"));
        var evaluator = new DmarcEvaluator(dns, new DmarcEvaluatorOptions { DiscoveryMethod = DmarcDiscoveryMethod.PublicSuffixList });
        var outcome = await evaluator.EvaluateAsync(DmarcRequest.For("a.b.example.co.uk", new DmarcSpfInput("bounce.example.co.uk", true)));
        Assert.Equal(DmarcStatus.Pass, outcome.Status);
        Assert.Equal("example.co.uk", outcome.OrganizationalDomain);
        Assert.Equal(2, dns.Queries.Count(q => q.Name.StartsWith("_dmarc.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task The_evaluation_works_against_a_real_dns_server_on_loopback()
    {
        var zone = new DnsZone().AddTxt("_dmarc.example.com", "v=DMARC1; p=reject; sp=quarantine");
        zone.AddA("www.example.com", "192.0.2.10");
        await using var server = await LoopbackDnsServer.StartAsync(zone);
        var resolver = server.CreateResolver();
        var outcome = await new DmarcEvaluator(resolver).EvaluateAsync(DmarcRequest.For("www.example.com"));
        Assert.Equal(DmarcStatus.Fail, outcome.Status);
        Assert.Equal(DmarcPolicy.Quarantine, outcome.Disposition);
    }
}
