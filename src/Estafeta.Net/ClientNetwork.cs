using System.Net;
using System.Net.Sockets;

namespace Estafeta.Net;

/// <summary>The client a limit counts: an IPv4 address (also when mapped into IPv6), or the /64 network of an IPv6
/// one. A subscriber's line is given a whole /64, so counting each of its addresses would let one client take a fresh
/// address for every try.</summary>
public static class ClientNetwork
{
    public static IPAddress Of(IPAddress address)
    {
        if (address.IsIPv4MappedToIPv6) return address.MapToIPv4();
        if (address.AddressFamily != AddressFamily.InterNetworkV6) return address;
        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes);
    }
}
