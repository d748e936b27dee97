using System.Net;
using Estafeta.MailAuth.Dns;
using Estafeta.Testing;

namespace Estafeta.MailAuth.Tests.Dns;

public sealed class InMemoryDnsResolverTests
{
    [Fact]
    public async Task Zone_answers_follow_the_same_rules_as_the_loopback_server()
    {
        var zone = new DnsZone()
            .AddA("host.test", "192.0.2.1")
            .AddCname("loop1.test", "loop2.test")
            .AddCname("loop2.test", "LOOP1.test.")
            .AddTxt("slow.test", "x").TimeOut("slow.test", DnsRecordType.Txt)
            .FailWithServerFailure("failing.test");
        var resolver = new InMemoryDnsResolver(zone);

        Assert.Equal([IPAddress.Parse("192.0.2.1")], (await resolver.AAsync("HOST.test.")).Records);
        Assert.Equal(DnsStatus.NameError, (await resolver.AAsync("other.test")).Status);
        Assert.Equal(DnsStatus.TemporaryFailure, (await resolver.AAsync("loop1.test")).Status);
        Assert.Equal(DnsStatus.TemporaryFailure, (await resolver.TxtAsync("slow.test")).Status);
        Assert.Equal(DnsStatus.Ok, (await resolver.AAsync("slow.test")).Status);
        Assert.Equal(DnsStatus.TemporaryFailure, (await resolver.MxAsync("failing.test")).Status);
        Assert.Equal(6, resolver.QueryCount);
    }

    [Fact]
    public async Task Txt_record_without_strings_is_an_empty_text()
    {
        var resolver = new InMemoryDnsResolver(new DnsZone().AddTxt("empty.test"));

        Assert.Equal([string.Empty], (await resolver.TxtAsync("empty.test")).Records);
    }
}
