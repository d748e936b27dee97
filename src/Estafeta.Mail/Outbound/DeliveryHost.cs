using System.Net;

namespace Estafeta.Mail.Outbound;

/// <summary>One address to try: the MX (or route) host name, its preference and the IP address and port.</summary>
public sealed record DeliveryHost(string Name, int Preference, IPAddress Address, int Port)
{
    public override string ToString() => $"{Name}[{Address}]:{Port}";
}
