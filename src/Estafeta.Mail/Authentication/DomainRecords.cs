using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Estafeta.MailAuth.Dkim;
using Estafeta.Storage;

namespace Estafeta.Mail.Authentication;

/// <summary>What a sending domain must publish, as zone-file lines: MX, SPF with this server's sending
/// addresses, every DKIM key in use (split into 255-octet strings), DMARC starting at p=none with reports to
/// the domain's own report address, MTA-STS and TLS-RPT.</summary>
public static class DomainRecords
{
    public const int Ttl = 3600;

    /// <summary>The address whose mail the MX reads as aggregate reports.</summary>
    public static string ReportAddress(string domain) => $"{RecipientDirectory.DmarcReportLocalPart}@{domain}";

    public static string SpfValue(IEnumerable<IPAddress> sendingAddresses) =>
        "v=spf1 " + string.Concat(sendingAddresses.Select(a => SpfTerm(a) + " ")) + "-all";

    /// <summary><c>ip4:203.0.113.7</c> or <c>ip6:2001:db8::7</c>.</summary>
    public static string SpfTerm(IPAddress address) =>
        (address.AddressFamily == AddressFamily.InterNetworkV6 ? "ip6:" : "ip4:") + address;

    public static string DmarcValue(string domain, string policy = "none") => $"v=DMARC1; p={policy}; rua=mailto:{ReportAddress(domain)}";

    public static string MtaStsPolicy(string hostName) =>
        $"version: STSv1\r\nmode: testing\r\nmx: {hostName}\r\nmax_age: 604800\r\n";

    /// <summary>id= of the _mta-sts record: changes whenever the policy does.</summary>
    public static string MtaStsId(string policy) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(policy)))[..20];

    public static string MtaStsValue(string hostName) => $"v=STSv1; id={MtaStsId(MtaStsPolicy(hostName))}";

    /// <summary>The address whose mail the MX reads as TLS reports (RFC 8460).</summary>
    public static string TlsReportAddress(string domain) => $"{RecipientDirectory.TlsReportLocalPart}@{domain}";

    public static string TlsRptValue(string domain) => $"v=TLSRPTv1; rua=mailto:{TlsReportAddress(domain)}";

    /// <summary>A TXT record line with its character-strings quoted (several in parentheses).</summary>
    public static string TxtLine(string name, IReadOnlyList<string> strings)
    {
        var quoted = strings.Select(s => "\"" + s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"").ToList();
        var data = quoted.Count == 1 ? quoted[0] : "( " + string.Join(' ', quoted) + " )";
        return string.Create(CultureInfo.InvariantCulture, $"{name}. {Ttl} IN TXT {data}");
    }

    public static DomainRecord Txt(string purpose, string name, string value, string? note = null)
    {
        var strings = DkimDnsRecord.SplitTxt(value);
        return new DomainRecord(purpose, name, "TXT", value, strings, TxtLine(name, strings), note);
    }

    public static DomainRecord Mx(string domain, string hostName) =>
        new("MX", domain, "MX", $"10 {hostName}.", [], string.Create(CultureInfo.InvariantCulture, $"{domain}. {Ttl} IN MX 10 {hostName}."));

    public static DomainRecord Dkim(DkimKeyInfo info, DkimPrivateKey key)
    {
        var note = info.State switch
        {
            DkimKeyState.Pending => "new key: signing switches to it once domain check sees it published",
            DkimKeyState.Retired => $"replaced key: keep it until {info.RetiredAt?.Add(DkimKeyStore.GracePeriod).UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}, then remove it",
            _ => null,
        };
        return new DomainRecord($"DKIM {info.Algorithm} ({info.State.ToString().ToLowerInvariant()})", DkimDnsRecord.Name(info.Selector, info.Domain), "TXT",
            key.DnsTxtValue, key.DnsTxtStrings, DkimDnsRecord.ZoneFileLine(info.Selector, info.Domain, key, Ttl), note);
    }

    /// <summary>Whether <paramref name="hostName"/> can be named by a public MX record: a name with a dot, not
    /// "localhost" nor an address.</summary>
    public static bool IsPublicHostName(string hostName) =>
        hostName.Contains('.', StringComparison.Ordinal) && !IPAddress.TryParse(hostName, out _)
        && !hostName.Equals("localhost.localdomain", StringComparison.OrdinalIgnoreCase) && !hostName.EndsWith(".localhost", StringComparison.OrdinalIgnoreCase);

    /// <summary>What to do when the server's host name cannot be published (<see cref="IsPublicHostName"/>).</summary>
    public static string HostNameToDo(string domain, string hostName) =>
        $"The host name is \"{hostName}\": start the server with --hostname set to its public name (e.g. mx.{domain}); the MX and MTA-STS records name it.";

    public static DomainRecordSet Build(string domain, string hostName, IReadOnlyList<IPAddress> sendingAddresses, IReadOnlyList<(DkimKeyInfo Info, DkimPrivateKey Key)> dkim)
    {
        var problems = new List<string>();
        if (!IsPublicHostName(hostName)) problems.Add(HostNameToDo(domain, hostName));
        var records = new List<DomainRecord> { Mx(domain, hostName) };
        if (sendingAddresses.Count > 0)
            records.Add(Txt("SPF", domain, SpfValue(sendingAddresses)));
        else
            problems.Add($"This server's sending addresses are unknown ({hostName} does not resolve): set them with estafeta domain set {domain} --sending-ip ADDRESS, then the SPF record is listed.");
        records.AddRange(dkim.Select(k => Dkim(k.Info, k.Key)));
        if (dkim.Count == 0) problems.Add($"{domain} has no DKIM keys: create them with estafeta domain rotate-dkim {domain}.");
        records.Add(Txt("DMARC", "_dmarc." + domain, DmarcValue(domain), $"reports arrive at {ReportAddress(domain)}; see them with estafeta dmarc summary --domain {domain}"));
        records.Add(Txt("MTA-STS", "_mta-sts." + domain, MtaStsValue(hostName), $"serve the policy file at https://mta-sts.{domain}/.well-known/mta-sts.txt: mta-sts.{domain} needs an address (A/AAAA or CNAME) of the HTTPS server that serves it (estafeta serve answers the path on --http, behind a TLS proxy)"));
        records.Add(Txt("TLS-RPT", "_smtp._tls." + domain, TlsRptValue(domain), $"reports arrive at {TlsReportAddress(domain)}; see them with estafeta tlsrpt summary --domain {domain}"));
        var nextSteps = new List<string>
        {
            $"After two to four weeks of reports that show only your own senders (estafeta dmarc summary --domain {domain}), ask receivers to quarantine failing mail: {TxtLine("_dmarc." + domain, [DmarcValue(domain, "quarantine")])}",
            $"Then, when nothing legitimate lands in spam folders, reject it: {TxtLine("_dmarc." + domain, [DmarcValue(domain, "reject")])}",
            $"MTA-STS: serve the policy below over HTTPS with a certificate valid for mta-sts.{domain}; once TLS reports show no failures, change \"mode: testing\" to \"mode: enforce\" and publish a new id=.",
        };
        return new DomainRecordSet(domain, records, MtaStsPolicy(hostName), nextSteps, problems);
    }
}
