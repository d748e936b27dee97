using Estafeta.MailAuth.Dmarc;
using Estafeta.Testing;

namespace Estafeta.MailAuth.Tests.Dmarc;

public sealed class DmarcTreeWalkTests
{
    [Fact]
    public void A_short_name_is_walked_one_label_at_a_time() =>
        Assert.Equal(["a.b.example.com", "b.example.com", "example.com", "com"], DmarcTreeWalk.WalkNames("A.B.Example.COM."));

    [Fact]
    public void A_long_name_skips_to_its_rightmost_seven_labels()
    {
        var names = DmarcTreeWalk.WalkNames("a.b.c.d.e.f.g.h.i.j.example.com");
        Assert.Equal(DmarcTreeWalk.MaxQueries, names.Count);
        Assert.Equal(["a.b.c.d.e.f.g.h.i.j.example.com", "f.g.h.i.j.example.com", "g.h.i.j.example.com", "h.i.j.example.com",
            "i.j.example.com", "j.example.com", "example.com", "com"], names);
    }

    [Fact]
    public async Task A_long_name_without_records_costs_at_most_eight_queries()
    {
        var dns = new InMemoryDnsResolver();
        var discovery = await new DmarcTreeWalk(dns).DiscoverPolicyAsync("1.2.3.4.5.6.7.8.9.10.11.12.example.com");
        Assert.Equal(DmarcLookupStatus.NotFound, discovery.Status);
        Assert.Equal(8, dns.QueryCount);
        Assert.Equal(8, discovery.QueriedDomains.Count);
    }

    [Fact]
    public async Task The_policy_at_the_organizational_domain_is_found_from_a_subdomain()
    {
        var dns = new InMemoryDnsResolver();
        dns.Zone.AddTxt("_dmarc.example.com", "v=DMARC1; p=reject");
        var walk = new DmarcTreeWalk(dns);
        var discovery = await walk.DiscoverPolicyAsync("mail.news.example.com");
        Assert.Equal("example.com", discovery.PolicyDomain);
        Assert.Equal(["mail.news.example.com", "news.example.com", "example.com"], discovery.QueriedDomains);
        Assert.Equal("example.com", (await walk.OrganizationalDomainAsync("mail.news.example.com")).Domain);
    }

    [Fact]
    public async Task A_subdomain_record_is_the_policy_but_the_highest_record_is_the_organizational_domain()
    {
        var dns = new InMemoryDnsResolver();
        dns.Zone.AddTxt("_dmarc.example.com", "v=DMARC1; p=reject");
        dns.Zone.AddTxt("_dmarc.news.example.com", "v=DMARC1; p=none");
        var walk = new DmarcTreeWalk(dns);
        Assert.Equal("news.example.com", (await walk.DiscoverPolicyAsync("mail.news.example.com")).PolicyDomain);
        Assert.Equal("example.com", (await walk.OrganizationalDomainAsync("mail.news.example.com")).Domain);
    }

    [Fact]
    public async Task A_record_with_psd_n_ends_the_walk_at_its_domain()
    {
        var dns = new InMemoryDnsResolver();
        dns.Zone.AddTxt("_dmarc.example.com", "v=DMARC1; p=reject");
        dns.Zone.AddTxt("_dmarc.dept.example.com", "v=DMARC1; p=none; psd=n");
        var organizational = await new DmarcTreeWalk(dns).OrganizationalDomainAsync("host.dept.example.com");
        Assert.Equal("dept.example.com", organizational.Domain);
        Assert.Contains("psd=n", organizational.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_public_suffix_domain_with_psd_y_makes_the_name_one_label_below_it_organizational()
    {
        var dns = new InMemoryDnsResolver();
        dns.Zone.AddTxt("_dmarc.gov.example", "v=DMARC1; p=reject; psd=y");
        var walk = new DmarcTreeWalk(dns);
        Assert.Equal("agency.gov.example", (await walk.OrganizationalDomainAsync("mail.agency.gov.example")).Domain);
        Assert.Equal("agency.gov.example", (await walk.OrganizationalDomainAsync("agency.gov.example")).Domain);
        Assert.Equal("gov.example", (await walk.OrganizationalDomainAsync("gov.example")).Domain);
        Assert.Equal("gov.example", (await walk.DiscoverPolicyAsync("mail.agency.gov.example")).PolicyDomain);
    }

    [Fact]
    public async Task Without_any_record_a_name_is_its_own_organizational_domain()
    {
        var organizational = await new DmarcTreeWalk(new InMemoryDnsResolver()).OrganizationalDomainAsync("mail.example.co.uk");
        Assert.Equal("mail.example.co.uk", organizational.Domain);
    }

    [Fact]
    public async Task A_dns_failure_in_the_organizational_walk_falls_back_to_the_public_suffix_list()
    {
        var dns = new InMemoryDnsResolver();
        dns.Zone.FailWithServerFailure("_dmarc.example.co.uk");
        var organizational = await new DmarcTreeWalk(dns).OrganizationalDomainAsync("mail.example.co.uk");
        Assert.Equal("example.co.uk", organizational.Domain);
        Assert.Equal(DmarcDiscoveryMethod.PublicSuffixList, organizational.Method);
    }

    [Fact]
    public async Task Two_records_at_one_name_count_as_none_and_the_walk_goes_on()
    {
        var dns = new InMemoryDnsResolver();
        dns.Zone.AddTxt("_dmarc.sub.example.com", "v=DMARC1; p=none").AddTxt("_dmarc.sub.example.com", "v=DMARC1; p=reject");
        dns.Zone.AddTxt("_dmarc.example.com", "v=DMARC1; p=quarantine");
        var discovery = await new DmarcTreeWalk(dns).DiscoverPolicyAsync("sub.example.com");
        Assert.Equal("example.com", discovery.PolicyDomain);
        Assert.Contains("2 DMARC records", Assert.Single(discovery.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_txt_records_at_dmarc_names_are_ignored()
    {
        var dns = new InMemoryDnsResolver();
        dns.Zone.AddTxt("_dmarc.example.com", "google-site-verification=abc").AddTxt("_dmarc.example.com", "v=DMARC1; p=reject");
        var discovery = await new DmarcTreeWalk(dns).DiscoverPolicyAsync("example.com");
        Assert.Equal(DmarcPolicy.Reject, discovery.Record!.Policy);
    }

    [Fact]
    public async Task The_rfc_7489_method_asks_the_from_domain_then_its_registrable_domain()
    {
        var dns = new InMemoryDnsResolver();
        dns.Zone.AddTxt("_dmarc.example.co.uk", "v=DMARC1; p=reject");
        var discovery = await new DmarcTreeWalk(dns).DiscoverPolicyAsync("a.b.example.co.uk", DmarcDiscoveryMethod.PublicSuffixList);
        Assert.Equal(["a.b.example.co.uk", "example.co.uk"], discovery.QueriedDomains);
        Assert.Equal("example.co.uk", discovery.PolicyDomain);
    }
}
