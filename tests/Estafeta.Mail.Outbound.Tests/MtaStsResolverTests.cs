using Estafeta.Mail.Outbound;
using Estafeta.Mail.Outbound.MtaSts;
using Estafeta.Testing;

namespace Estafeta.Mail.Outbound.Tests;

/// <summary>Which _mta-sts records the outbound MTA takes as a policy (RFC 8461 §3.1).</summary>
public sealed class MtaStsResolverTests
{
    private const string Policy = "version: STSv1\r\nmode: enforce\r\nmx: *.seguro.test\r\nmax_age: 86400\r\n";

    private static async Task<(MtaStsResolver.Lookup Lookup, StaticHttpHandler Host)> FindAsync(params string[] records)
    {
        var zone = new DnsZone();
        foreach (var record in records) zone.AddTxt("_mta-sts.seguro.test", record);
        var host = new StaticHttpHandler(Policy);
        using var resolver = new MtaStsResolver(new InMemoryDnsResolver(zone), TimeProvider.System,
            new OutboundOptions { MtaStsPolicyUri = d => new Uri($"http://policy.invalid/{d}"), MtaStsHttpHandler = host });
        return (await resolver.FindAsync("seguro.test", CancellationToken.None), host);
    }

    [Fact]
    public async Task One_record_with_a_valid_id_brings_the_policy()
    {
        var (lookup, host) = await FindAsync("v=STSv1; id=20261127");

        Assert.Equal(("20261127", MtaStsMode.Enforce), (lookup.Policy!.Id, lookup.Policy.Mode));
        Assert.Single(host.Requests);
    }

    [Theory]
    [InlineData("v=STSv1;")]
    [InlineData("v=STSv1; id=")]
    [InlineData("v=STSv1; id=no-vale!")]
    [InlineData("v=STSv1; id=123456789012345678901234567890123")]
    public async Task A_record_without_a_valid_id_is_no_policy_and_nothing_is_fetched(string record)
    {
        var (lookup, host) = await FindAsync(record);

        Assert.Null(lookup.Policy);
        Assert.Null(lookup.FetchFailure);
        Assert.Empty(host.Requests);
    }

    [Fact]
    public async Task Two_records_are_no_policy()
    {
        var (lookup, host) = await FindAsync("v=STSv1; id=a1", "v=STSv1; id=b2");

        Assert.Null(lookup.Policy);
        Assert.Empty(host.Requests);
    }
}
