namespace Estafeta.MailAuth.Dmarc;

/// <summary>How policy records and organizational domains are found.</summary>
public enum DmarcDiscoveryMethod
{
    /// <summary>The RFC 9989 DNS Tree Walk (reported as "treewalk").</summary>
    TreeWalk,
    /// <summary>RFC 7489: the From domain, then its registrable domain from the Public Suffix List (reported as "psl").</summary>
    PublicSuffixList,
}
