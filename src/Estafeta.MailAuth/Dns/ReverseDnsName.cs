using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Estafeta.MailAuth.Dns;

/// <summary>Builds the in-addr.arpa / ip6.arpa name queried for PTR records of an address.</summary>
public static class ReverseDnsName
{
    private const string HexDigits = "0123456789abcdef";

    public static string For(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6)
        {
            address = address.MapToIPv4();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var length);
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes[3]}.{bytes[2]}.{bytes[1]}.{bytes[0]}.in-addr.arpa");
        }

        Span<char> name = stackalloc char[64 + 8];
        var at = 0;
        for (var i = length - 1; i >= 0; i--)
        {
            name[at++] = HexDigits[bytes[i] & 0xF];
            name[at++] = '.';
            name[at++] = HexDigits[bytes[i] >> 4];
            name[at++] = '.';
        }

        "ip6.arpa".AsSpan().CopyTo(name[at..]);
        return new string(name[..(at + 8)]);
    }
}
