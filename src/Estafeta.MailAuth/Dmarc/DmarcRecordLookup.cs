namespace Estafeta.MailAuth.Dmarc;

public enum DmarcLookupStatus
{
    /// <summary>Exactly one valid DMARC record.</summary>
    Found,
    /// <summary>No usable record: no TXT, NXDOMAIN, no v=DMARC1 record, several, or an invalid one.</summary>
    NotFound,
    /// <summary>The DNS did not answer; nothing can be concluded.</summary>
    TempError,
}

/// <summary>What _dmarc.<see cref="Domain"/> holds. <see cref="Problem"/> explains a NotFound that
/// was caused by broken records (several, or invalid) and a TempError.</summary>
public sealed record DmarcRecordLookup(string Domain, DmarcLookupStatus Status, DmarcRecord? Record = null, string? Problem = null);
