using System.Net;
using Estafeta.MailAuth.Dns;

namespace Estafeta.Mail.Outbound;

/// <summary>
/// Where mail for a domain goes (RFC 5321 §5.1): its MX records in preference order, equal preferences shuffled;
/// without MX records the domain itself (implicit MX, its A/AAAA records). MX records of "." alone are a null MX
/// (RFC 7505): the domain takes no mail and the message bounces at once, as it does for a domain that does not
/// exist. Each host's IPv4 and IPv6 addresses are tried in turn; an address is tried once, under the first MX name
/// (in preference order) that has it.
/// </summary>
public sealed class MxResolver(IDnsResolver dns, Random? random = null)
{
    private readonly Random _random = random ?? Random.Shared;

    /// <summary>Most MX names looked up for one delivery attempt (two address questions each), the best first: a
    /// domain with hundreds of MX records costs at most 1 + 2 × 10 questions. The names past it are not tried.</summary>
    public const int MaxExchanges = 10;

    /// <summary>Most addresses one delivery attempt is given to try, the best first (Postfix's smtp_mx_address_limit,
    /// 5 by default): however many MX records and addresses a domain has, an attempt makes at most this many
    /// connections. The same bound applies to one host name's addresses.</summary>
    public const int MaxAddresses = 5;

    public async Task<MxLookup> ResolveAsync(string domain, int port, CancellationToken ct)
    {
        // Only RFC 5321 §4.1.3's form is an address; a domain without brackets is a name, looked up in DNS, even when
        // it reads as a number ("12345" is not 0.0.48.57).
        if (domain.StartsWith('['))
            return Estafeta.Smtp.AddressLiteral.TryParse(domain, out var literal)
                ? new MxLookup(MxLookupOutcome.Hosts, [new DeliveryHost(domain, 0, literal, port)], null)
                : MxLookup.NoMail("5.1.2", $"{domain} is not an address literal (RFC 5321 §4.1.3: [192.0.2.1] or [IPv6:2001:db8::1])");

        var mx = await dns.MxAsync(domain, ct);
        if (mx.Status == DnsStatus.TemporaryFailure) return MxLookup.Later($"DNS lookup of the MX records of {domain} failed, trying again later");
        if (mx.Status == DnsStatus.NameError) return MxLookup.NoMail("5.1.2", $"The domain {domain} does not exist");

        if (mx.Records.Count == 0)
        {
            var implicitHosts = await LookUpAsync(domain, 0, port, ct);
            if (implicitHosts.TemporaryFailure && implicitHosts.Hosts.Count == 0) return MxLookup.Later($"DNS lookup of {domain} failed, trying again later");
            return implicitHosts.Hosts.Count == 0
                ? MxLookup.NoMail("5.1.2", $"The domain {domain} has no MX record and no address")
                : new MxLookup(MxLookupOutcome.Hosts, implicitHosts.Hosts, null);
        }

        // RFC 7505 §3 publishes a null MX as one record; null MX records twice (at two preferences) name no host
        // either, and say the same. A null MX among real MX records is a misconfiguration (RFC 7505 §3): it is
        // skipped and the real ones are used, since they name hosts that take the domain's mail.
        if (mx.Records.All(r => r.Exchange.Trim('.').Length == 0))
            return MxLookup.NoMail("5.1.10", $"The domain {domain} accepts no mail (null MX, RFC 7505)");

        var ordered = mx.Records
            .Where(r => r.Exchange.Trim('.').Length > 0)
            .GroupBy(r => r.Preference)
            .OrderBy(g => g.Key)
            .SelectMany(g => g.OrderBy(_ => _random.Next()))
            .ToList();
        // A name under several MX records is looked up once, at its best preference; an address several names share
        // is tried once, under the first of them.
        var hosts = new List<DeliveryHost>();
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var addresses = new HashSet<IPAddress>();
        var anyTemporary = false;
        foreach (var record in ordered)
        {
            if (hosts.Count == MaxAddresses || names.Count == MaxExchanges) break;
            if (!names.Add(DnsName.TrimTrailingDot(record.Exchange))) continue;
            var found = await LookUpAsync(record.Exchange, record.Preference, port, ct);
            anyTemporary |= found.TemporaryFailure;
            hosts.AddRange(found.Hosts.Where(h => addresses.Add(h.Address)).Take(MaxAddresses - hosts.Count));
        }

        if (hosts.Count > 0) return new MxLookup(MxLookupOutcome.Hosts, hosts, null);
        return anyTemporary
            ? MxLookup.Later($"DNS lookup of the MX hosts of {domain} failed, trying again later")
            : MxLookup.Later($"No MX host of {domain} has an address");
    }

    /// <summary>The A and AAAA addresses of one host name, or the address a route gives as its host.</summary>
    public async Task<(IReadOnlyList<DeliveryHost> Hosts, bool TemporaryFailure)> AddressesAsync(string host, int preference, int port, CancellationToken ct)
    {
        if (IPAddress.TryParse(host.Trim('[', ']'), out var literal)) return ([new DeliveryHost(host, preference, literal, port)], false);
        return await LookUpAsync(host, preference, port, ct);
    }

    /// <summary>The A and AAAA addresses of a name. An MX record's exchange is a name (RFC 1035 §3.3.9), never an
    /// address: "192.0.2.1", "[192.0.2.1]" or "1" there is looked up like any other name (as Postfix does), not taken
    /// as the address 192.0.2.1 or 0.0.0.1 that no A or AAAA record gives.</summary>
    private async Task<(IReadOnlyList<DeliveryHost> Hosts, bool TemporaryFailure)> LookUpAsync(string host, int preference, int port, CancellationToken ct)
    {
        var v4 = await dns.AAsync(host, ct);
        var v6 = await dns.AaaaAsync(host, ct);
        var hosts = v4.Records.Concat(v6.Records).Distinct().Take(MaxAddresses).Select(a => new DeliveryHost(host, preference, a, port)).ToList();
        return (hosts, v4.Status == DnsStatus.TemporaryFailure || v6.Status == DnsStatus.TemporaryFailure);
    }
}
