using System.Diagnostics.CodeAnalysis;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Estafeta.Smtp;

/// <summary>
/// The address literal of RFC 5321 §4.1.3, the one reading of it for the SMTP grammar, the outbound MTA and address
/// validation: <c>"[" IPv4-address-literal "]"</c> (four decimal numbers of one to three digits up to 255, dot-separated)
/// or <c>"[IPv6:" IPv6-addr "]"</c> (the tag in any case). Nothing else is one: not <c>[127.1]</c>, <c>[0x7f.0.0.1]</c> or
/// an IPv6 address without its tag, all of which <see cref="IPAddress.TryParse(string, out IPAddress)"/> would take.
/// </summary>
public static class AddressLiteral
{
    /// <summary>The address <paramref name="literal"/> (brackets included) stands for, when it is an address literal.</summary>
    public static bool TryParse(ReadOnlySpan<byte> literal, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (literal.Length < 3 || literal[0] != '[' || literal[^1] != ']') return false;
        var content = literal[1..^1];
        if (content.Length > 5 && Ascii.EqualsIgnoreCase(content[..5], "IPv6:"u8))
        {
            content = content[5..];
            foreach (var b in content)
                if (!char.IsAsciiHexDigit((char)b) && b != ':' && b != '.') return false;
            if (!IPAddress.TryParse(content, out var v6) || v6.AddressFamily != AddressFamily.InterNetworkV6) return false;
            address = v6;
            return true;
        }
        return IsIPv4(content) && IPAddress.TryParse(content, out address);
    }

    /// <inheritdoc cref="TryParse(ReadOnlySpan{byte}, out IPAddress?)"/>
    public static bool TryParse(string literal, [NotNullWhen(true)] out IPAddress? address) =>
        TryParse(Encoding.UTF8.GetBytes(literal), out address);

    private static bool IsIPv4(ReadOnlySpan<byte> s)
    {
        for (var part = 0; part < 4; part++)
        {
            if (part > 0)
            {
                if (s.IsEmpty || s[0] != '.') return false;
                s = s[1..];
            }
            var digits = 0;
            var value = 0;
            while (digits < s.Length && char.IsAsciiDigit((char)s[digits]))
            {
                value = value * 10 + (s[digits] - '0');
                if (++digits > 3) return false;
            }
            if (digits == 0 || value > 255) return false;
            s = s[digits..];
        }
        return s.IsEmpty;
    }
}
