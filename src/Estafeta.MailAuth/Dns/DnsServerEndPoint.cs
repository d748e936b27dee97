using System.Globalization;
using System.Net;

namespace Estafeta.MailAuth.Dns;

/// <summary>Parses the address of a DNS server as given on the command line: <c>127.0.0.1</c>,
/// <c>127.0.0.1:5353</c>, <c>::1</c> or <c>[::1]:5353</c>. Without a port, 53 is used.</summary>
public static class DnsServerEndPoint
{
    public const int DefaultPort = 53;

    public static bool TryParse(string? text, out IPEndPoint endPoint)
    {
        endPoint = null!;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        if (IPAddress.TryParse(trimmed, out var bare) && !trimmed.StartsWith('['))
        {
            endPoint = new IPEndPoint(bare, DefaultPort);
            return true;
        }

        if (trimmed.StartsWith('[') && trimmed.EndsWith(']'))
        {
            if (IPAddress.TryParse(trimmed.AsSpan(1, trimmed.Length - 2), out var bracketed))
            {
                endPoint = new IPEndPoint(bracketed, DefaultPort);
                return true;
            }

            return false;
        }

        var colon = trimmed.LastIndexOf(':');
        if (colon <= 0 || colon == trimmed.Length - 1)
        {
            return false;
        }

        var host = trimmed.AsSpan(0, colon);
        if (host.StartsWith("[") && host.EndsWith("]"))
        {
            host = host[1..^1];
        }
        else if (host.Contains(':'))
        {
            return false;
        }

        if (!IPAddress.TryParse(host, out var address)
            || !int.TryParse(trimmed.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port)
            || port is < 1 or > 65535)
        {
            return false;
        }

        endPoint = new IPEndPoint(address, port);
        return true;
    }

    public static IPEndPoint Parse(string text) =>
        TryParse(text, out var endPoint)
            ? endPoint
            : throw new FormatException($"'{text}' is not a DNS server address (expected ip, ip:port or [ipv6]:port).");
}
