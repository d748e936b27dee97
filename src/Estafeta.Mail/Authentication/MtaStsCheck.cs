using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Estafeta.Mail.Outbound;
using Estafeta.Mail.Outbound.MtaSts;
using Estafeta.MailAuth.Dns;

namespace Estafeta.Mail.Authentication;

/// <summary>
/// The MTA-STS part of <c>domain check</c> (RFC 8461): a TXT record alone does nothing; senders act on the policy file
/// they fetch over HTTPS from <c>mta-sts.DOMAIN</c>. So the check looks at all of it, in the order a sender does:
/// exactly one <c>v=STSv1</c> record with a valid id (§3.1), an address for the policy host, the policy fetched as the
/// outbound MTA fetches it (HTTPS with a valid certificate, no redirects, text/plain, §3.3), and this server among its
/// <c>mx:</c> patterns, since in enforce mode senders refuse to deliver to an MX the policy does not name. The policy
/// host is looked up through the product's resolver (so <c>--dns</c> applies to it too). MTA-STS stays optional.
/// </summary>
internal sealed class MtaStsCheck(IDnsResolver dns, TimeProvider clock, MtaStsResolver? resolver)
{
    private const string Label = "MTA-STS";

    public async Task<RecordCheck> RunAsync(DomainCheckInput input, CancellationToken ct)
    {
        var domain = input.Domain;
        var name = "_mta-sts." + domain;
        var ours = DomainRecords.TxtLine(name, [DomainRecords.MtaStsValue(input.HostName)]);
        var txt = await dns.TxtAsync(name, ct);
        if (txt.Status == DnsStatus.TemporaryFailure) return DomainCheck.DnsFailure(Label, name) with { Required = false };
        var records = MtaStsRecord.Among(txt.Records);
        if (records.Count == 0)
            return new RecordCheck(Label, name, RecordStatus.Missing,
                $"not published (optional): receivers may deliver without TLS; publish it and serve the policy at https://mta-sts.{domain}/.well-known/mta-sts.txt",
                "publish: " + ours, Required: false);
        if (records.Count > 1)
            return Problem(name, $"{records.Count} MTA-STS records: senders take that as no policy at all (RFC 8461 §3.1)", "publish one record instead of them: " + ours);
        if (MtaStsRecord.IdOf(records[0]) is null)
            return Problem(name, "the record has no valid id= (1 to 32 letters and digits): senders take that as no policy at all (RFC 8461 §3.1)", "publish: " + ours);

        var host = "mta-sts." + domain;
        var policyUrl = $"https://{host}/.well-known/mta-sts.txt";
        var a = await dns.AAsync(host, ct);
        var aaaa = await dns.AaaaAsync(host, ct);
        if (a.Status == DnsStatus.TemporaryFailure || aaaa.Status == DnsStatus.TemporaryFailure)
            return DomainCheck.DnsFailure(Label, host) with { Name = name, Required = false };
        if (a.Records.Count == 0 && aaaa.Records.Count == 0)
            return Problem(name, $"{host} has no address, so senders cannot fetch the policy and ignore the record",
                $"point {host} (A/AAAA or CNAME) at the HTTPS server that serves the policy shown by estafeta domain records {domain}, with a certificate valid for {host}");

        using var owned = resolver is null ? new MtaStsResolver(dns, clock, new OutboundOptions { MtaStsHttpHandler = PolicyHostHandler(dns) }) : null;
        var lookup = await (resolver ?? owned!).FindAsync(domain, ct);
        if (lookup.Policy is not { } policy)
            return Problem(name, $"the policy could not be fetched from {policyUrl} ({lookup.FetchFailure ?? "no policy"}: {lookup.FailureDetail ?? "no answer"}): senders ignore the record",
                $"serve the policy shown by estafeta domain records {domain} at {policyUrl} as text/plain, over HTTPS with a certificate valid for {host} and without redirects");
        var summary = string.Create(CultureInfo.InvariantCulture,
            $"mode {policy.Mode.ToString().ToLowerInvariant()}, mx {string.Join(", ", policy.MxPatterns)}, max_age {policy.MaxAge.TotalSeconds:0}");
        if (policy.Mode != MtaStsMode.None && !policy.Allows(input.HostName))
            return Problem(name, $"the policy ({summary}) does not name this server, {input.HostName}: "
                + (policy.Mode == MtaStsMode.Enforce ? "senders refuse to deliver mail to it" : "senders report every delivery to it as a failure, and would refuse it in enforce mode"),
                $"add the line \"mx: {input.HostName}\" to the policy file, then publish a new id=: " + ours);
        return new RecordCheck(Label, name, RecordStatus.Ok, $"published; policy at {policyUrl}: {summary}", Required: false);
    }

    private static RecordCheck Problem(string name, string detail, string fix) => new(Label, name, RecordStatus.Wrong, detail, fix, Required: false);

    /// <summary>An HTTP client handler that finds the policy host through the product's resolver (so <c>--dns</c> applies to it).</summary>
    internal static SocketsHttpHandler PolicyHostHandler(IDnsResolver dns) => new()
    {
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        ConnectCallback = async (context, ct) =>
        {
            var host = context.DnsEndPoint.Host;
            var addresses = new List<IPAddress>();
            addresses.AddRange((await dns.AAsync(host, ct)).Records);
            addresses.AddRange((await dns.AaaaAsync(host, ct)).Records);
            if (addresses.Count == 0) throw new HttpRequestException($"{host} has no address");
            SocketException? last = null;
            foreach (var address in addresses)
            {
                var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    await socket.ConnectAsync(new IPEndPoint(address, context.DnsEndPoint.Port), ct);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch (SocketException e)
                {
                    socket.Dispose();
                    last = e;
                }
            }
            throw new HttpRequestException($"no address of {host} answered: {last?.Message}", last);
        },
    };
}
