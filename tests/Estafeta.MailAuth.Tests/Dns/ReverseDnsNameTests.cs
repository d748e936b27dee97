using System.Net;
using Estafeta.MailAuth.Dns;

namespace Estafeta.MailAuth.Tests.Dns;

public sealed class ReverseDnsNameTests
{
    [Theory]
    [InlineData("192.0.2.3", "3.2.0.192.in-addr.arpa")]
    [InlineData("::ffff:192.0.2.3", "3.2.0.192.in-addr.arpa")]
    [InlineData("2001:db8::cb01", "1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6.arpa")]
    public void Reverse_names_are_built_per_address_family(string address, string expected)
    {
        Assert.Equal(expected, ReverseDnsName.For(IPAddress.Parse(address)));
    }

    [Theory]
    [InlineData("example.com", true)]
    [InlineData("example.com.", true)]
    [InlineData("a..example.com", false)]
    [InlineData("", false)]
    [InlineData(".", false)]
    public void Names_are_checked_against_dns_limits(string name, bool expected)
    {
        Assert.Equal(expected, DnsName.CanQuery(name));
    }

    [Fact]
    public void Labels_over_63_octets_and_names_over_253_cannot_be_queried()
    {
        Assert.True(DnsName.CanQuery(new string('a', 63) + ".test"));
        Assert.False(DnsName.CanQuery(new string('a', 64) + ".test"));
        Assert.False(DnsName.CanQuery(string.Join('.', Enumerable.Repeat(new string('a', 50), 5)) + ".test"));
    }
}
