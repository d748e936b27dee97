using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace Estafeta.MailAuth.Spf;

/// <summary>Address arithmetic for SPF: IPv4 addresses as the low 32 bits, IPv6 as 128 bits, and the
/// forms the i, c and v macros expand to (RFC 7208 §7.3).</summary>
internal static class SpfAddress
{
    private const string HexDigits = "0123456789abcdef";

    /// <summary>An IPv4-mapped IPv6 address is an IPv4 address for SPF (RFC 7208 §5, §5.6).</summary>
    public static IPAddress Normalize(IPAddress address) =>
        address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;

    public static bool IsIp4(IPAddress address) => address.AddressFamily == AddressFamily.InterNetwork;

    public static UInt128 Bits(IPAddress address)
    {
        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out var length);
        return length == 4 ? BinaryPrimitives.ReadUInt32BigEndian(bytes) : BinaryPrimitives.ReadUInt128BigEndian(bytes);
    }

    /// <summary>True when the top <paramref name="prefix"/> bits of both values agree.</summary>
    public static bool SamePrefix(UInt128 a, UInt128 b, int prefix, bool ip4)
    {
        var width = ip4 ? 32 : 128;
        if (prefix <= 0)
        {
            return true;
        }

        var shift = width - prefix;
        return shift <= 0 ? a == b : (a >> shift) == (b >> shift);
    }

    /// <summary>The i macro: dotted quad for IPv4, 32 dot-separated nibbles for IPv6.</summary>
    public static string Dotted(IPAddress address)
    {
        if (IsIp4(address))
        {
            return address.ToString();
        }

        Span<byte> bytes = stackalloc byte[16];
        address.TryWriteBytes(bytes, out _);
        Span<char> text = stackalloc char[63];
        var at = 0;
        foreach (var b in bytes)
        {
            if (at > 0)
            {
                text[at++] = '.';
            }

            text[at++] = HexDigits[b >> 4];
            text[at++] = '.';
            text[at++] = HexDigits[b & 0xF];
        }

        return new string(text);
    }
}
