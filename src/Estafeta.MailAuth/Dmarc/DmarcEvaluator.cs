using Estafeta.MailAuth.Dns;
using Estafeta.MailAuth.PublicSuffix;

namespace Estafeta.MailAuth.Dmarc;

/// <summary>Evaluates DMARC (RFC 9989) for a message from its From domain(s) and its SPF and DKIM
/// results. Thread-safe; DNS answers are shared within one evaluation only (the resolver caches).</summary>
public sealed class DmarcEvaluator
{
    private readonly IDnsResolver dns;
    private readonly DmarcEvaluatorOptions options;

    public DmarcEvaluator(IDnsResolver dns, DmarcEvaluatorOptions? options = null)
    {
        this.dns = dns;
        this.options = options ?? DmarcEvaluatorOptions.Default;
    }

    /// <summary>With several From domains (RFC 9989 §4.4: one header field may list several
    /// authors), each distinct domain is evaluated; a failure with the strictest policy decides,
    /// then a temperror, then a pass.</summary>
    public async Task<DmarcResult> EvaluateAsync(DmarcRequest request, CancellationToken ct = default)
    {
        var domains = request.FromDomains.Select(DomainNames.Normalize).Where(d => d.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (domains.Count == 0)
        {
            return new DmarcResult
            {
                Status = DmarcStatus.PermError,
                Disposition = DmarcPolicy.None,
                FromDomain = string.Empty,
                Reason = "the message has no From domain to evaluate",
                DiscoveryMethod = options.DiscoveryMethod,
            };
        }

        var walk = new DmarcTreeWalk(dns, options.PublicSuffixList);
        var results = new List<DmarcResult>(domains.Count);
        foreach (var domain in domains) results.Add(await EvaluateDomainAsync(walk, domain, request, ct).ConfigureAwait(false));
        if (results.Count == 1) return results[0];

        var decisive = results.Where(r => r.Status == DmarcStatus.Fail).OrderByDescending(r => r.Disposition).ThenByDescending(r => r.RequestedPolicy).FirstOrDefault()
            ?? results.FirstOrDefault(r => r.Status == DmarcStatus.TempError)
            ?? results.FirstOrDefault(r => r.Status == DmarcStatus.PermError)
            ?? results.FirstOrDefault(r => r.Status == DmarcStatus.Pass)
            ?? results[0];
        return decisive with
        {
            PerDomain = results,
            Reason = $"{decisive.Reason} (decided by {decisive.FromDomain} among the From domains {string.Join(", ", domains)})",
        };
    }

    private async Task<DmarcResult> EvaluateDomainAsync(DmarcTreeWalk walk, string from, DmarcRequest request, CancellationToken ct)
    {
        var method = options.DiscoveryMethod;
        var result = new DmarcResult
        {
            Status = DmarcStatus.None,
            Disposition = DmarcPolicy.None,
            FromDomain = from,
            Reason = string.Empty,
            DiscoveryMethod = method,
        };
        if (!DomainNames.IsValid(from) || !DnsName.CanQuery(from))
            return result with { Status = DmarcStatus.PermError, Reason = $"the From domain \"{from}\" is not a valid domain name" };

        var discovery = await walk.DiscoverPolicyAsync(from, method, ct).ConfigureAwait(false);
        switch (discovery.Status)
        {
            case DmarcLookupStatus.TempError:
                return result with { Status = DmarcStatus.TempError, Reason = discovery.Lookup?.Problem ?? "DNS failure during policy discovery" };
            case DmarcLookupStatus.NotFound:
                var problems = discovery.Problems.Count == 0 ? string.Empty : " (" + string.Join("; ", discovery.Problems) + ")";
                return result with { Reason = $"no DMARC policy for {from} (queried {string.Join(", ", discovery.QueriedDomains.Select(d => "_dmarc." + d))}){problems}" };
        }

        var record = discovery.Record!;
        var policyDomain = discovery.PolicyDomain!;
        var organizational = await walk.OrganizationalDomainAsync(from, method, ct).ConfigureAwait(false);
        result = result with { Record = record, PolicyDomain = policyDomain, OrganizationalDomain = organizational.Domain };

        var spfAligned = request.Spf is { Passed: true } spf
            && await DmarcAlignmentCheck.IsAlignedAsync(walk, method, from, organizational.Domain, spf.Domain, record.SpfAlignment, ct).ConfigureAwait(false);
        string? alignedDkim = null;
        foreach (var signature in request.Dkim.Where(d => d.Passed))
        {
            if (await DmarcAlignmentCheck.IsAlignedAsync(walk, method, from, organizational.Domain, signature.Domain, record.DkimAlignment, ct).ConfigureAwait(false))
            {
                alignedDkim = DomainNames.Normalize(signature.Domain);
                break;
            }
        }

        var relation = policyDomain == from ? DmarcDomainRelation.SameDomain : DmarcDomainRelation.Subdomain;
        if (relation == DmarcDomainRelation.Subdomain && alignedDkim is null && !spfAligned && await IsNonexistentAsync(from, ct).ConfigureAwait(false))
            relation = DmarcDomainRelation.NonexistentSubdomain;
        var requested = record.PolicyFor(relation);
        result = result with { SpfAligned = spfAligned, AlignedDkimDomain = alignedDkim, Relation = relation, RequestedPolicy = requested };

        if (alignedDkim is not null || spfAligned)
        {
            var how = alignedDkim is not null && spfAligned ? $"aligned DKIM signature from {alignedDkim} and aligned SPF"
                : alignedDkim is not null ? $"aligned DKIM signature from {alignedDkim}"
                : $"SPF passed for {DomainNames.Normalize(request.Spf!.Domain)}, aligned with {from}";
            return result with { Status = DmarcStatus.Pass, Reason = how };
        }

        var why = $"no aligned authentication: {DescribeFailure(request, record)}; policy from _dmarc.{policyDomain} ({PolicyTagName(relation, record)}={requested.ToKeyword()})";
        if (record.Testing)
            return result with { Status = DmarcStatus.Fail, PolicyTestMode = true, Reason = why + "; not applied because the record has t=y (testing)" };
        return result with { Status = DmarcStatus.Fail, Disposition = requested, Reason = why };
    }

    /// <summary>RFC 9989 §4.5 (after RFC 9091): a domain that yields NXDOMAIN for A, AAAA and MX does not exist.</summary>
    private async Task<bool> IsNonexistentAsync(string domain, CancellationToken ct)
    {
        var a = dns.AAsync(domain, ct);
        var aaaa = dns.AaaaAsync(domain, ct);
        var mx = dns.MxAsync(domain, ct);
        await Task.WhenAll(a, aaaa, mx).ConfigureAwait(false);
        return a.Result.Status == DnsStatus.NameError && aaaa.Result.Status == DnsStatus.NameError && mx.Result.Status == DnsStatus.NameError;
    }

    private static string PolicyTagName(DmarcDomainRelation relation, DmarcRecord record) => relation switch
    {
        DmarcDomainRelation.NonexistentSubdomain when record.NonexistentSubdomainPolicy is not null => "np",
        DmarcDomainRelation.NonexistentSubdomain or DmarcDomainRelation.Subdomain when record.SubdomainPolicy is not null => "sp",
        _ => "p",
    };

    private static string DescribeFailure(DmarcRequest request, DmarcRecord record)
    {
        var parts = new List<string>();
        parts.Add(request.Spf switch
        {
            null => "no SPF result",
            { Passed: false } spf => $"SPF did not pass for {spf.Domain}",
            var spf => $"SPF passed for {spf.Domain}, not aligned ({(record.SpfAlignment == DmarcAlignment.Strict ? "strict" : "relaxed")})",
        });
        var passing = request.Dkim.Where(d => d.Passed).Select(d => d.Domain).ToList();
        parts.Add(request.Dkim.Count == 0 ? "no DKIM signature"
            : passing.Count == 0 ? "no DKIM signature verified"
            : $"DKIM passed for {string.Join(", ", passing)}, not aligned ({(record.DkimAlignment == DmarcAlignment.Strict ? "strict" : "relaxed")})");
        return string.Join(", ", parts);
    }
}
