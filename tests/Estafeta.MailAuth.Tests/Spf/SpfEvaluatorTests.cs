using System.Net;
using Estafeta.MailAuth.Dns;
using Estafeta.MailAuth.Spf;
using Estafeta.Testing;

namespace Estafeta.MailAuth.Tests.Spf;

public sealed class SpfEvaluatorTests
{
    [Theory]
    [InlineData("2001:db8:1234::1", SpfResult.Pass)]
    [InlineData("2001:db8:1234:ffff::1", SpfResult.Pass)]
    [InlineData("2001:db8:1235::1", SpfResult.Fail)]
    [InlineData("192.0.2.1", SpfResult.Fail)]
    public async Task Ip6_mechanism_matches_with_cidr_length(string client, SpfResult expected)
    {
        var result = await CheckAsync(new DnsZone().AddTxt("example.com", "v=spf1 ip6:2001:db8:1234::/48 -all"), client);

        Assert.Equal(expected, result.Result);
    }

    [Theory]
    [InlineData("192.0.2.77", SpfResult.Pass)]
    [InlineData("::ffff:192.0.2.77", SpfResult.Pass)]
    [InlineData("192.0.3.77", SpfResult.SoftFail)]
    public async Task Ipv4_mapped_clients_are_checked_as_ipv4(string client, SpfResult expected)
    {
        var result = await CheckAsync(new DnsZone().AddTxt("example.com", "v=spf1 ip4:192.0.2.0/24 ip6:::/0 ~all"), client);

        Assert.Equal(expected, result.Result);
    }

    [Fact]
    public async Task Result_names_the_matching_mechanism_and_the_lookups_used()
    {
        var zone = new DnsZone()
            .AddTxt("example.com", "v=spf1 a mx include:_spf.example.net -all")
            .AddA("example.com", "192.0.2.1")
            .AddMx("example.com", 10, "mx.example.com")
            .AddA("mx.example.com", "192.0.2.2")
            .AddTxt("_spf.example.net", "v=spf1 ip4:198.51.100.0/24 -all");

        var result = await CheckAsync(zone, "198.51.100.20");

        Assert.Equal(SpfResult.Pass, result.Result);
        Assert.Equal("include:_spf.example.net", result.Mechanism);
        Assert.Equal("example.com", result.MechanismDomain);
        Assert.Equal(3, result.LookupCount);
        Assert.Equal(0, result.VoidLookupCount);
        Assert.Null(result.Explanation);
    }

    [Fact]
    public async Task Redirect_reports_the_domain_whose_mechanism_matched()
    {
        var zone = new DnsZone()
            .AddTxt("example.com", "v=spf1 redirect=_spf.example.com")
            .AddTxt("_spf.example.com", "v=spf1 ip4:192.0.2.0/24 -all");

        var result = await CheckAsync(zone, "203.0.113.9");

        Assert.Equal(SpfResult.Fail, result.Result);
        Assert.Equal(("-all", "_spf.example.com", "example.com"), (result.Mechanism, result.MechanismDomain, result.Domain));
    }

    [Fact]
    public async Task Helo_identity_checks_the_helo_domain()
    {
        var zone = new DnsZone()
            .AddTxt("mail.example.org", "v=spf1 a -all")
            .AddA("mail.example.org", "192.0.2.5")
            .AddTxt("example.com", "v=spf1 -all");
        var evaluator = new SpfEvaluator(new InMemoryDnsResolver(zone));

        var helo = await evaluator.CheckAsync(SpfRequest.ForHelo(IPAddress.Parse("192.0.2.5"), "mail.example.org"));
        var mailFrom = await evaluator.CheckAsync(SpfRequest.ForMailFrom(IPAddress.Parse("192.0.2.5"), "user@example.com", "mail.example.org"));
        var bounce = await evaluator.CheckAsync(SpfRequest.ForMailFrom(IPAddress.Parse("192.0.2.5"), string.Empty, "mail.example.org"));

        Assert.Equal((SpfResult.Pass, "mail.example.org"), (helo.Result, helo.Domain));
        Assert.Equal((SpfResult.Fail, "example.com"), (mailFrom.Result, mailFrom.Domain));
        Assert.Equal((SpfResult.Pass, "mail.example.org"), (bounce.Result, bounce.Domain));
    }

    [Fact]
    public async Task Permerror_carries_the_syntax_error_and_its_position()
    {
        var result = await CheckAsync(new DnsZone().AddTxt("example.com", "v=spf1 ip4:192.0.2.300 -all"), "192.0.2.1");

        Assert.Equal(SpfResult.PermError, result.Result);
        Assert.Equal(19, result.SyntaxError!.Position);
        Assert.Equal("v=spf1 ip4:192.0.2.300 -all", result.SyntaxError.Text);
        Assert.Contains("column 20", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Dns_failure_on_the_record_is_a_temperror()
    {
        var result = await CheckAsync(new DnsZone().FailWithServerFailure("example.com"), "192.0.2.1");

        Assert.Equal(SpfResult.TempError, result.Result);
        Assert.Contains("DNS failure", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Parsed_records_are_reused_by_text()
    {
        var evaluator = new SpfEvaluator(new InMemoryDnsResolver());

        Assert.Same(evaluator.Parse("v=spf1 mx -all").Record, evaluator.Parse("v=spf1 mx -all").Record);
    }

    [Fact]
    public async Task Evaluation_that_runs_out_of_time_is_a_temperror()
    {
        var clock = new ManualTimeProvider();
        var zone = new DnsZone()
            .AddTxt("example.com", "v=spf1 a:one.example.com a:two.example.com -all")
            .AddA("one.example.com", "198.51.100.1");
        var slow = new ClockAdvancingResolver(new InMemoryDnsResolver(zone), clock, TimeSpan.FromSeconds(15));
        var evaluator = new SpfEvaluator(slow, new SpfEvaluatorOptions { Timeout = TimeSpan.FromSeconds(20) }, clock);

        var result = await evaluator.CheckAsync(SpfRequest.ForMailFrom(IPAddress.Parse("192.0.2.1"), "user@example.com", "mail.example.org"));

        Assert.Equal(SpfResult.TempError, result.Result);
        Assert.Contains("longer than 20 s", result.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_default_explanation_is_refused_at_construction()
    {
        Assert.Throws<ArgumentException>(() =>
            new SpfEvaluator(new InMemoryDnsResolver(), new SpfEvaluatorOptions { DefaultExplanation = "%{x}" }));
    }

    private static Task<SpfCheckResult> CheckAsync(DnsZone zone, string client) =>
        new SpfEvaluator(new InMemoryDnsResolver(zone))
            .CheckAsync(SpfRequest.ForMailFrom(IPAddress.Parse(client), "user@example.com", "mail.example.org"));

    /// <summary>Each question takes <paramref name="perQuery"/> of (manual) time.</summary>
    private sealed class ClockAdvancingResolver(IDnsResolver inner, ManualTimeProvider clock, TimeSpan perQuery) : IDnsResolver
    {
        public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct = default) => Tick(inner.TxtAsync(name, ct));

        public Task<DnsAnswer<IPAddress>> AAsync(string name, CancellationToken ct = default) => Tick(inner.AAsync(name, ct));

        public Task<DnsAnswer<IPAddress>> AaaaAsync(string name, CancellationToken ct = default) => Tick(inner.AaaaAsync(name, ct));

        public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct = default) => Tick(inner.MxAsync(name, ct));

        public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct = default) => Tick(inner.PtrAsync(address, ct));

        private Task<T> Tick<T>(Task<T> answer)
        {
            clock.Advance(perQuery);
            return answer;
        }
    }
}
