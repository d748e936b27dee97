using Estafeta.MailAuth.Dns;
using Estafeta.MailAuth.PublicSuffix;

namespace Estafeta.MailAuth.Dmarc;

/// <summary>Finds DMARC policy records and organizational domains (RFC 9989 §4.10, the DNS Tree
/// Walk; or the RFC 7489 Public Suffix List method). Answers for each _dmarc name are remembered
/// for the life of the instance, so use one instance per message (or per report run): the policy
/// walk, the organizational-domain walk and alignment checks then share their queries.</summary>
public sealed class DmarcTreeWalk
{
    /// <summary>RFC 9989 §4.10: no more than 8 names are queried in one walk.</summary>
    public const int MaxQueries = 8;

    private readonly IDnsResolver dns;
    private readonly PublicSuffixList suffixes;
    private readonly Dictionary<string, Task<DmarcRecordLookup>> lookups = new(StringComparer.Ordinal);
    private readonly Lock gate = new();

    public DmarcTreeWalk(IDnsResolver dns, PublicSuffixList? publicSuffixList = null)
    {
        this.dns = dns;
        suffixes = publicSuffixList ?? PublicSuffixList.Default;
    }

    /// <summary>The names a walk from <paramref name="domain"/> queries, in order: the name itself;
    /// then, when it has 8 or more labels, its rightmost 7 labels; then one label fewer each time,
    /// down to the top-level domain.</summary>
    public static IReadOnlyList<string> WalkNames(string domain)
    {
        var name = DomainNames.Normalize(domain);
        var names = new List<string> { name };
        var labels = DomainNames.LabelCount(name);
        for (var count = Math.Min(labels - 1, MaxQueries - 1); count >= 1; count--) names.Add(DomainNames.RightmostLabels(name, count));
        return names;
    }

    /// <summary>The _dmarc record of exactly <paramref name="domain"/>.</summary>
    public Task<DmarcRecordLookup> LookupAsync(string domain, CancellationToken ct = default)
    {
        var name = DomainNames.Normalize(domain);
        lock (gate)
        {
            if (!lookups.TryGetValue(name, out var lookup))
            {
                lookup = FetchAsync(name, ct);
                lookups[name] = lookup;
            }
            return lookup;
        }
    }

    /// <summary>Policy discovery for a From domain: the first valid record on the walk.</summary>
    public async Task<DmarcPolicyDiscovery> DiscoverPolicyAsync(string domain, DmarcDiscoveryMethod method = DmarcDiscoveryMethod.TreeWalk, CancellationToken ct = default)
    {
        var names = method == DmarcDiscoveryMethod.TreeWalk ? WalkNames(domain) : PublicSuffixNames(domain);
        var queried = new List<string>();
        var problems = new List<string>();
        foreach (var name in names)
        {
            queried.Add(name);
            var lookup = await LookupAsync(name, ct).ConfigureAwait(false);
            if (lookup.Status != DmarcLookupStatus.NotFound) return new DmarcPolicyDiscovery(lookup.Status, lookup, queried, problems);
            if (lookup.Problem is { } problem) problems.Add(problem);
        }
        return new DmarcPolicyDiscovery(DmarcLookupStatus.NotFound, null, queried, problems);
    }

    /// <summary>The organizational domain of <paramref name="domain"/>. With the tree walk (RFC 9989
    /// §4.10.2): a record with psd=n makes its domain the organizational domain; psd=y makes it the
    /// name one label below the public suffix domain; otherwise the record with the fewest labels
    /// wins; with no record at all the name is its own organizational domain. When the DNS fails,
    /// the Public Suffix List answers instead (and says so).</summary>
    public async Task<DmarcOrganizationalDomain> OrganizationalDomainAsync(string domain, DmarcDiscoveryMethod method = DmarcDiscoveryMethod.TreeWalk, CancellationToken ct = default)
    {
        var name = DomainNames.Normalize(domain);
        if (method == DmarcDiscoveryMethod.PublicSuffixList) return FromPublicSuffixList(name, "registrable domain per the Public Suffix List");

        var names = WalkNames(name);
        string? highest = null;
        for (var i = 0; i < names.Count; i++)
        {
            var lookup = await LookupAsync(names[i], ct).ConfigureAwait(false);
            switch (lookup.Status)
            {
                case DmarcLookupStatus.TempError:
                    return FromPublicSuffixList(name, $"the tree walk failed at _dmarc.{names[i]} ({lookup.Problem}); Public Suffix List used instead");
                case DmarcLookupStatus.NotFound:
                    continue;
            }
            switch (lookup.Record!.Psd)
            {
                case DmarcPsd.No:
                    return new DmarcOrganizationalDomain(names[i], DmarcDiscoveryMethod.TreeWalk, $"record at _dmarc.{names[i]} has psd=n");
                case DmarcPsd.Yes:
                    if (i == 0)
                        return new DmarcOrganizationalDomain(names[i], DmarcDiscoveryMethod.TreeWalk, $"{names[i]} is itself a public suffix domain (psd=y)");
                    var below = DomainNames.RightmostLabels(name, DomainNames.LabelCount(names[i]) + 1);
                    return new DmarcOrganizationalDomain(below, DmarcDiscoveryMethod.TreeWalk, $"one label below the public suffix domain {names[i]} (psd=y)");
                default:
                    highest = names[i];
                    break;
            }
        }
        return highest is null
            ? new DmarcOrganizationalDomain(name, DmarcDiscoveryMethod.TreeWalk, "no DMARC record on the tree walk; the name is its own organizational domain")
            : new DmarcOrganizationalDomain(highest, DmarcDiscoveryMethod.TreeWalk, $"the record with the fewest labels is at _dmarc.{highest}");
    }

    private DmarcOrganizationalDomain FromPublicSuffixList(string name, string explanation) =>
        new(suffixes.GetOrganizationalDomain(name), DmarcDiscoveryMethod.PublicSuffixList, explanation);

    private List<string> PublicSuffixNames(string domain)
    {
        var name = DomainNames.Normalize(domain);
        var organizational = suffixes.GetOrganizationalDomain(name);
        return organizational == name ? [name] : [name, organizational];
    }

    private async Task<DmarcRecordLookup> FetchAsync(string domain, CancellationToken ct)
    {
        var name = "_dmarc." + domain;
        if (!DnsName.CanQuery(name)) return new DmarcRecordLookup(domain, DmarcLookupStatus.NotFound, Problem: $"{name} is not a name that can be queried");
        var answer = await dns.TxtAsync(name, ct).ConfigureAwait(false);
        if (answer.Status == DnsStatus.TemporaryFailure)
            return new DmarcRecordLookup(domain, DmarcLookupStatus.TempError, Problem: $"DNS lookup of {name} failed temporarily");
        var candidates = answer.Records.Where(DmarcRecord.LooksLikeDmarc).ToList();
        if (candidates.Count == 0) return new DmarcRecordLookup(domain, DmarcLookupStatus.NotFound);
        if (candidates.Count > 1)
            return new DmarcRecordLookup(domain, DmarcLookupStatus.NotFound, Problem: $"{name} has {candidates.Count} DMARC records; none is used");
        return DmarcRecord.TryParse(candidates[0], out var record, out var error)
            ? new DmarcRecordLookup(domain, DmarcLookupStatus.Found, record)
            : new DmarcRecordLookup(domain, DmarcLookupStatus.NotFound, Problem: $"the DMARC record at {name} is not usable: {error}");
    }
}
