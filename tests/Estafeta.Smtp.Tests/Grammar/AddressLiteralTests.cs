using System.Net;

namespace Estafeta.Smtp.Tests.Grammar;

/// <summary>RFC 5321 §4.1.3 address literals, the one reading the SMTP grammar, the outbound MTA and address validation share.</summary>
public sealed class AddressLiteralTests
{
    [Theory]
    [InlineData("[192.0.2.1]", "192.0.2.1")]
    [InlineData("[0.0.0.0]", "0.0.0.0")]
    [InlineData("[255.255.255.255]", "255.255.255.255")]
    [InlineData("[IPv6:2001:db8::1]", "2001:db8::1")]
    [InlineData("[ipv6:::ffff:192.0.2.7]", "::ffff:192.0.2.7")]
    public void An_address_literal_stands_for_its_address(string literal, string address)
    {
        Assert.True(AddressLiteral.TryParse(literal, out var parsed));
        Assert.Equal(IPAddress.Parse(address), parsed);
    }

    [Theory]
    [InlineData("192.0.2.1")] // no brackets: a domain name
    [InlineData("[127.1]")]
    [InlineData("[0x7f.0.0.1]")]
    [InlineData("[2130706433]")]
    [InlineData("[256.0.0.1]")]
    [InlineData("[1.2.3.4.5]")]
    [InlineData("[0001.2.3.4]")]
    [InlineData("[2001:db8::1]")] // IPv6 without its tag
    [InlineData("[IPv6:192.0.2.1]")]
    [InlineData("[IPv6:2001:db8::1%eth0]")]
    [InlineData("[ejemplo.es]")]
    [InlineData("[]")]
    [InlineData("[192.0.2.1")]
    public void Anything_else_is_no_address_literal(string literal)
    {
        Assert.False(AddressLiteral.TryParse(literal, out var parsed));
        Assert.Null(parsed);
    }
}
