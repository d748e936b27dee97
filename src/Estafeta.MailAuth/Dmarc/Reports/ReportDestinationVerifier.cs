using Estafeta.MailAuth.Dns;
using Estafeta.MailAuth.PublicSuffix;

namespace Estafeta.MailAuth.Dmarc.Reports;

/// <summary>RFC 9990 §4 (verifying external destinations): a rua= address outside the policy
/// domain's organizational domain receives reports only if its domain publishes
/// <c>policy-domain._report._dmarc.destination-domain</c> with a v=DMARC1 record.</summary>
public sealed class ReportDestinationVerifier(IDnsResolver dns, PublicSuffixList? publicSuffixList = null)
{
    private readonly PublicSuffixList suffixes = publicSuffixList ?? PublicSuffixList.Default;

    /// <summary>The destinations allowed to receive reports for <paramref name="policyDomain"/>;
    /// on a DNS failure an external destination is left out (it may be retried next time).</summary>
    public async Task<IReadOnlyList<DmarcReportUri>> VerifyAsync(string policyDomain, IEnumerable<DmarcReportUri> destinations, CancellationToken ct = default)
    {
        var domain = DomainNames.Normalize(policyDomain);
        var organizational = suffixes.GetOrganizationalDomain(domain);
        var allowed = new List<DmarcReportUri>();
        foreach (var destination in destinations)
        {
            if (suffixes.GetOrganizationalDomain(destination.Domain) == organizational)
            {
                allowed.Add(destination);
                continue;
            }
            var name = $"{domain}._report._dmarc.{destination.Domain}";
            if (!DnsName.CanQuery(name)) continue;
            var answer = await dns.TxtAsync(name, ct).ConfigureAwait(false);
            if (answer.Status == DnsStatus.Ok && answer.Records.Any(DmarcRecord.LooksLikeDmarc)) allowed.Add(destination);
        }
        return allowed;
    }
}
