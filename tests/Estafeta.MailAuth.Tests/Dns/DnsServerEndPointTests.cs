using System.Net;
using Estafeta.MailAuth.Dns;

namespace Estafeta.MailAuth.Tests.Dns;

public sealed class DnsServerEndPointTests
{
    [Theory]
    [InlineData("127.0.0.1:5353", "127.0.0.1", 5353)]
    [InlineData("127.0.0.1", "127.0.0.1", 53)]
    [InlineData("::1", "::1", 53)]
    [InlineData("[::1]", "::1", 53)]
    [InlineData("[2001:db8::1]:5300", "2001:db8::1", 5300)]
    [InlineData(" 192.0.2.1:53 ", "192.0.2.1", 53)]
    public void Server_addresses_are_parsed_with_a_default_port_of_53(string text, string address, int port)
    {
        Assert.True(DnsServerEndPoint.TryParse(text, out var endPoint));
        Assert.Equal(new IPEndPoint(IPAddress.Parse(address), port), endPoint);
    }

    [Theory]
    [InlineData("")]
    [InlineData("dns.example.com:53")]
    [InlineData("127.0.0.1:")]
    [InlineData("127.0.0.1:0")]
    [InlineData("127.0.0.1:70000")]
    [InlineData("2001:db8::1:5300:xyz")]
    public void Malformed_server_addresses_are_refused(string text)
    {
        Assert.False(DnsServerEndPoint.TryParse(text, out _));
        Assert.Throws<FormatException>(() => DnsServerEndPoint.Parse(text));
    }
}
