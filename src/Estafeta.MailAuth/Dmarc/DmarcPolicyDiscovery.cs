namespace Estafeta.MailAuth.Dmarc;

/// <summary>Where the policy for a From domain was found, or why none applies.</summary>
/// <param name="Status">Found, NotFound (no policy anywhere up the tree) or TempError.</param>
/// <param name="Lookup">The lookup that found the record (Status Found) or failed (TempError).</param>
/// <param name="QueriedDomains">The names whose _dmarc records were asked for, in order.</param>
/// <param name="Problems">Broken records met on the way (several at one name, invalid ones).</param>
public sealed record DmarcPolicyDiscovery(
    DmarcLookupStatus Status,
    DmarcRecordLookup? Lookup,
    IReadOnlyList<string> QueriedDomains,
    IReadOnlyList<string> Problems)
{
    public DmarcRecord? Record => Status == DmarcLookupStatus.Found ? Lookup?.Record : null;

    /// <summary>The domain holding the record.</summary>
    public string? PolicyDomain => Status == DmarcLookupStatus.Found ? Lookup?.Domain : null;
}

/// <summary>The organizational domain of a name and how it was decided.</summary>
public sealed record DmarcOrganizationalDomain(string Domain, DmarcDiscoveryMethod Method, string Explanation);
