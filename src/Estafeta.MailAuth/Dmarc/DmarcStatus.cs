namespace Estafeta.MailAuth.Dmarc;

/// <summary>The RFC 8601 §2.7.4 dmarc result.</summary>
public enum DmarcStatus
{
    /// <summary>No policy record for the From domain.</summary>
    None,
    Pass,
    Fail,
    /// <summary>A DNS failure prevented discovery.</summary>
    TempError,
    /// <summary>The message cannot be evaluated (no usable From domain).</summary>
    PermError,
}

public static class DmarcStatusKeywords
{
    public static string ToKeyword(this DmarcStatus status) => status switch
    {
        DmarcStatus.Pass => "pass",
        DmarcStatus.Fail => "fail",
        DmarcStatus.TempError => "temperror",
        DmarcStatus.PermError => "permerror",
        _ => "none",
    };
}
