using System.Net;
using Estafeta.MailAuth.Spf;
using Estafeta.Testing;

namespace Estafeta.MailAuth.Tests.Spf;

/// <summary>Macro expansion, observed through the name an exists: mechanism asks for.</summary>
public sealed class SpfMacroExpansionTests
{
    private const string Sender = "strong-bad@email.example.com";

    /// <summary>The examples of RFC 7208 §7.4.</summary>
    [Theory]
    [InlineData("%{s}", "strong-bad@email.example.com")]
    [InlineData("%{o}", "email.example.com")]
    [InlineData("%{d}", "email.example.com")]
    [InlineData("%{d4}", "email.example.com")]
    [InlineData("%{d3}", "email.example.com")]
    [InlineData("%{d2}", "example.com")]
    [InlineData("%{d1}", "com")]
    [InlineData("%{dr}", "com.example.email")]
    [InlineData("%{d2r}", "example.email")]
    [InlineData("%{l}", "strong-bad")]
    [InlineData("%{l-}", "strong.bad")]
    [InlineData("%{lr}", "strong-bad")]
    [InlineData("%{lr-}", "bad.strong")]
    [InlineData("%{l1r-}", "strong")]
    [InlineData("%{ir}.%{v}._spf.%{d2}", "3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{lr-}.lp._spf.%{d2}", "bad.strong.lp._spf.example.com")]
    [InlineData("%{lr-}.lp.%{ir}.%{v}._spf.%{d2}", "bad.strong.lp.3.2.0.192.in-addr._spf.example.com")]
    [InlineData("%{ir}.%{v}.%{l1r-}.lp._spf.%{d2}", "3.2.0.192.in-addr.strong.lp._spf.example.com")]
    [InlineData("%{d2}.trusted-domains.example.net", "example.com.trusted-domains.example.net")]
    [InlineData("%{h}.helo.example.net", "mail.example.org.helo.example.net")]
    [InlineData("%{S}", "strong-bad%40email.example.com")]
    [InlineData("a%%b%_c%-d.example.net", "a%b c%20d.example.net")]
    public async Task Macros_expand_as_in_the_rfc_examples(string macroString, string expected)
    {
        Assert.Equal(expected, await ExpandAsync(macroString, IPAddress.Parse("192.0.2.3")));
    }

    [Fact]
    public async Task Ipv6_address_expands_to_reversed_nibbles()
    {
        var name = await ExpandAsync("%{ir}.%{v}._spf.%{d2}", IPAddress.Parse("2001:db8::cb01"));

        Assert.Equal("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com", name);
    }

    [Fact]
    public async Task Explanation_macros_give_client_address_receiving_host_and_time()
    {
        var clock = new ManualTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000));
        var zone = new DnsZone()
            .AddTxt("email.example.com", "v=spf1 -all exp=why.%{d}")
            .AddTxt("why.email.example.com", "%{c} rejected by %{r} at %{t} for %{l}");
        var evaluator = new SpfEvaluator(new InMemoryDnsResolver(zone), new SpfEvaluatorOptions { ReceivingHost = "mx.receiver.test" }, clock);

        var result = await evaluator.CheckAsync(SpfRequest.ForMailFrom(IPAddress.Parse("2001:db8::cb01"), Sender, "mail.example.org"));

        Assert.Equal(SpfResult.Fail, result.Result);
        Assert.Equal("2001:db8::cb01 rejected by mx.receiver.test at 1700000000 for strong-bad", result.Explanation);
    }

    [Fact]
    public async Task Default_explanation_names_the_domain_and_the_client()
    {
        var zone = new DnsZone().AddTxt("email.example.com", "v=spf1 -all");
        var evaluator = new SpfEvaluator(new InMemoryDnsResolver(zone));

        var result = await evaluator.CheckAsync(SpfRequest.ForMailFrom(IPAddress.Parse("192.0.2.3"), Sender, "mail.example.org"));

        Assert.Equal("The SPF record of email.example.com does not permit 192.0.2.3 to send its mail", result.Explanation);
    }

    [Fact]
    public async Task Expanded_names_over_253_octets_lose_labels_from_the_left()
    {
        var longLocalPart = string.Join('.', Enumerable.Repeat(new string('x', 60), 5));
        var name = await ExpandAsync("%{l}.example.com", IPAddress.Parse("192.0.2.3"), longLocalPart + "@email.example.com");

        Assert.Equal(string.Join('.', Enumerable.Repeat(new string('x', 60), 3)) + ".example.com", name);
    }

    private static async Task<string> ExpandAsync(string macroString, IPAddress client, string sender = Sender)
    {
        var zone = new DnsZone().AddTxt("email.example.com", $"v=spf1 exists:{macroString} -all");
        var resolver = new InMemoryDnsResolver(zone);
        var result = await new SpfEvaluator(resolver).CheckAsync(SpfRequest.ForMailFrom(client, sender, "mail.example.org"));

        Assert.True(result.Result == SpfResult.Fail, result.ToString());
        return Assert.Single(resolver.Queries, q => q.Type == DnsRecordType.A).Name;
    }
}
