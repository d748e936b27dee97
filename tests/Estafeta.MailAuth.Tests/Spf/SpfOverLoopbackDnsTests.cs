using System.Net;
using Estafeta.MailAuth.Spf;
using Estafeta.Testing;

namespace Estafeta.MailAuth.Tests.Spf;

/// <summary>SPF through the product resolver and a real DNS server on loopback.</summary>
public sealed class SpfOverLoopbackDnsTests
{
    private static DnsZone Zone() => new DnsZone()
        .AddTxt("example.com", "v=spf1 mx include:_spf.example.net ", "exp=explain.example.com -all")
        .AddTxt("example.com", "google-site-verification=abc")
        .AddMx("example.com", 10, "mx1.example.com")
        .AddMx("example.com", 20, "mx2.example.com")
        .AddA("mx1.example.com", "192.0.2.10")
        .AddAaaa("mx2.example.com", "2001:db8::20")
        .AddTxt("_spf.example.net", "v=spf1 ip4:198.51.100.0/24 ?all")
        .AddTxt("explain.example.com", "%{i} may not send for %{d}");

    [Theory]
    [InlineData("192.0.2.10", SpfResult.Pass, "mx")]
    [InlineData("2001:db8::20", SpfResult.Pass, "mx")]
    [InlineData("198.51.100.7", SpfResult.Pass, "include:_spf.example.net")]
    [InlineData("203.0.113.1", SpfResult.Fail, "-all")]
    public async Task Mail_from_is_checked_over_real_dns(string client, SpfResult expected, string mechanism)
    {
        await using var dns = await LoopbackDnsServer.StartAsync(Zone());
        var evaluator = new SpfEvaluator(dns.CreateResolver());

        var result = await evaluator.CheckAsync(SpfRequest.ForMailFrom(IPAddress.Parse(client), "news@example.com", "mail.example.com"));

        Assert.Equal(expected, result.Result);
        Assert.Equal(mechanism, result.Mechanism);
    }

    [Fact]
    public async Task Fail_carries_the_published_explanation()
    {
        await using var dns = await LoopbackDnsServer.StartAsync(Zone());
        var evaluator = new SpfEvaluator(dns.CreateResolver());

        var result = await evaluator.CheckAsync(SpfRequest.ForMailFrom(IPAddress.Parse("203.0.113.1"), "news@example.com", "mail.example.com"));

        Assert.Equal("203.0.113.1 may not send for example.com", result.Explanation);
    }

    [Fact]
    public async Task Warm_cache_answers_a_repeated_evaluation_without_asking_the_server()
    {
        await using var dns = await LoopbackDnsServer.StartAsync(Zone());
        var evaluator = new SpfEvaluator(dns.CreateResolver());
        var request = SpfRequest.ForMailFrom(IPAddress.Parse("198.51.100.7"), "news@example.com", "mail.example.com");

        await evaluator.CheckAsync(request);
        var asked = dns.QueryCount;
        var again = await evaluator.CheckAsync(request);

        Assert.Equal(SpfResult.Pass, again.Result);
        Assert.Equal(asked, dns.QueryCount);
    }

    [Fact]
    public async Task Unanswered_record_lookup_is_a_temperror()
    {
        await using var dns = await LoopbackDnsServer.StartAsync(Zone().TimeOut("example.com", DnsRecordType.Txt));
        var evaluator = new SpfEvaluator(dns.CreateResolver(timeout: TimeSpan.FromMilliseconds(300)));

        var result = await evaluator.CheckAsync(SpfRequest.ForMailFrom(IPAddress.Parse("192.0.2.10"), "news@example.com", "mail.example.com"));

        Assert.Equal(SpfResult.TempError, result.Result);
    }

    [Fact]
    public async Task Missing_domain_gives_none()
    {
        await using var dns = await LoopbackDnsServer.StartAsync(Zone());
        var evaluator = new SpfEvaluator(dns.CreateResolver());

        var result = await evaluator.CheckAsync(SpfRequest.ForMailFrom(IPAddress.Parse("192.0.2.10"), "news@nowhere.example", "mail.example.com"));

        Assert.Equal(SpfResult.None, result.Result);
    }
}
