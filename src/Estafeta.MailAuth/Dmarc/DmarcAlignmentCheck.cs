using Estafeta.MailAuth.PublicSuffix;

namespace Estafeta.MailAuth.Dmarc;

/// <summary>Identifier alignment (RFC 9989 §4.4): strict means the same name, relaxed means the
/// same organizational domain.</summary>
internal static class DmarcAlignmentCheck
{
    public static async Task<bool> IsAlignedAsync(DmarcTreeWalk walk, DmarcDiscoveryMethod method, string fromDomain, string fromOrganizational,
        string authenticated, DmarcAlignment mode, CancellationToken ct)
    {
        var domain = DomainNames.Normalize(authenticated);
        if (domain.Length == 0) return false;
        if (domain == fromDomain) return true;
        if (mode == DmarcAlignment.Strict) return false;
        // An organizational domain is always the name itself or one of its parents.
        if (!DomainNames.IsAtOrBelow(domain, fromOrganizational)) return false;
        var organizational = await walk.OrganizationalDomainAsync(domain, method, ct).ConfigureAwait(false);
        return organizational.Domain == fromOrganizational;
    }
}
