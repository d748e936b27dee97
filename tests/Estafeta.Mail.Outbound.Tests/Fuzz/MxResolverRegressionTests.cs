using System.Net;
using Estafeta.Testing;

namespace Estafeta.Mail.Outbound.Tests.Fuzz;

/// <summary>The smallest zones that showed each fault <see cref="MxResolverFuzzTests"/> found, served by a real DNS
/// server on loopback and read through the product's resolver.</summary>
public sealed class MxResolverRegressionTests
{
    private static async Task<(MxLookup Lookup, IReadOnlyList<LoopbackDnsQuery> Queries)> ResolveAsync(DnsZone zone, string domain = "dest.test")
    {
        await using var server = await LoopbackDnsServer.StartAsync(zone);
        var lookup = await new MxResolver(server.CreateResolver(), new Random(1)).ResolveAsync(domain, 25, CancellationToken.None);
        return (lookup, server.Queries);
    }

    [Fact]
    public async Task An_address_under_several_mx_names_or_one_name_under_several_mx_records_is_given_once_at_its_best_preference()
    {
        var zone = new DnsZone()
            .AddMx("dest.test", 20, "b.dest.test").AddMx("dest.test", 10, "a.dest.test").AddMx("dest.test", 30, "A.dest.test.")
            .AddA("a.dest.test", "192.0.2.1").AddA("b.dest.test", "192.0.2.1", "192.0.2.2");

        var (lookup, queries) = await ResolveAsync(zone);

        Assert.Equal(["a.dest.test/10/192.0.2.1", "b.dest.test/20/192.0.2.2"], lookup.Hosts.Select(h => $"{h.Name}/{h.Preference}/{h.Address}"));
        Assert.Single(queries, q => q.Type == DnsRecordType.A && q.Name.Equals("a.dest.test", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_domain_with_hundreds_of_mx_names_costs_a_bounded_number_of_lookups()
    {
        var zone = new DnsZone();
        for (var i = 0; i < 300; i++) zone.AddMx("dest.test", 10, $"mx{i}.dest.test");

        var (lookup, queries) = await ResolveAsync(zone);

        Assert.Equal(MxLookupOutcome.TemporaryFailure, lookup.Outcome);
        var questions = queries.Select(q => (q.Name.ToLowerInvariant(), q.Type)).Distinct().ToList();
        Assert.Equal(1 + 2 * MxResolver.MaxExchanges, questions.Count);
    }

    [Fact]
    public async Task A_domain_with_many_addresses_gives_a_bounded_number_of_hosts_the_best_first()
    {
        var zone = new DnsZone().AddMx("dest.test", 10, "a.dest.test").AddMx("dest.test", 20, "b.dest.test");
        for (var i = 1; i <= 50; i++) zone.AddA("a.dest.test", $"192.0.2.{i}").AddA("b.dest.test", $"198.51.100.{i}");

        var (lookup, _) = await ResolveAsync(zone);

        Assert.Equal(MxResolver.MaxAddresses, lookup.Hosts.Count);
        Assert.All(lookup.Hosts, h => Assert.Equal("a.dest.test", h.Name));
    }

    [Theory]
    [InlineData("192.0.2.1")]
    [InlineData("[192.0.2.1]")]
    [InlineData("1")]
    public async Task Address_text_as_an_mx_name_is_a_name_not_an_address(string exchange)
    {
        var (alone, _) = await ResolveAsync(new DnsZone().AddMx("dest.test", 10, exchange));
        var (named, _) = await ResolveAsync(new DnsZone().AddMx("dest.test", 10, exchange).AddA(exchange, "198.51.100.7"));

        Assert.Equal(MxLookupOutcome.TemporaryFailure, alone.Outcome);
        Assert.Equal([IPAddress.Parse("198.51.100.7")], named.Hosts.Select(h => h.Address));
    }

    [Fact]
    public async Task Null_mx_records_alone_at_two_preferences_are_a_null_mx()
    {
        var (lookup, _) = await ResolveAsync(new DnsZone().AddMx("dest.test", 0, ".").AddMx("dest.test", 20, ".").AddA("dest.test", "192.0.2.1"));

        Assert.Equal(MxLookupOutcome.NoMail, lookup.Outcome);
        Assert.Equal("5.1.10", lookup.Problem!.Status);
    }

    [Fact]
    public async Task A_null_mx_among_other_mx_records_is_skipped()
    {
        var (lookup, _) = await ResolveAsync(new DnsZone().AddMx("dest.test", 0, ".").AddMx("dest.test", 10, "mx.dest.test").AddA("mx.dest.test", "192.0.2.1"));

        Assert.Equal("mx.dest.test", Assert.Single(lookup.Hosts).Name);
    }

    [Theory]
    [InlineData("[192.0.2.1]", "192.0.2.1")]
    [InlineData("[IPv6:2001:db8::1]", "2001:db8::1")]
    [InlineData("[ipv6:::ffff:192.0.2.7]", "::ffff:192.0.2.7")]
    public async Task A_recipient_domain_that_is_an_address_literal_is_delivered_to_that_address(string domain, string address)
    {
        var (lookup, queries) = await ResolveAsync(new DnsZone(), domain);

        Assert.Equal(MxLookupOutcome.Hosts, lookup.Outcome);
        Assert.Equal(IPAddress.Parse(address), Assert.Single(lookup.Hosts).Address);
        Assert.Empty(queries);
    }

    [Theory]
    [InlineData("[2001:db8::1]")]
    [InlineData("[0x7f.1]")]
    [InlineData("[127.1]")]
    [InlineData("[256.0.0.1]")]
    [InlineData("[IPv6:192.0.2.1]")]
    [InlineData("[dest.test]")]
    public async Task A_bracketed_domain_that_is_no_address_literal_bounces(string domain)
    {
        var (lookup, queries) = await ResolveAsync(new DnsZone(), domain);

        Assert.Equal(MxLookupOutcome.NoMail, lookup.Outcome);
        Assert.Equal("5.1.2", lookup.Problem!.Status);
        Assert.Empty(queries);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("192.0.2.1")]
    [InlineData("0x7f.1")]
    public async Task A_domain_without_brackets_is_a_name_even_when_it_reads_as_a_number(string domain)
    {
        var (lookup, queries) = await ResolveAsync(new DnsZone(), domain);

        Assert.NotEqual(MxLookupOutcome.Hosts, lookup.Outcome);
        Assert.Contains(queries, q => q.Type == DnsRecordType.Mx);
    }
}
