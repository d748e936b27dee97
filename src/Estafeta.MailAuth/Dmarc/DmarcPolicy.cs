namespace Estafeta.MailAuth.Dmarc;

/// <summary>What a Domain Owner asks receivers to do with mail that fails DMARC (p=, sp=, np=),
/// and the disposition a receiver applied.</summary>
public enum DmarcPolicy
{
    None,
    Quarantine,
    Reject,
}

/// <summary>adkim= and aspf=: how closely an authenticated domain must match the From domain.</summary>
public enum DmarcAlignment
{
    /// <summary>The organizational domains are the same.</summary>
    Relaxed,
    /// <summary>The domains are identical.</summary>
    Strict,
}

/// <summary>psd=: whether the record's domain is a public suffix domain (RFC 9989).</summary>
public enum DmarcPsd
{
    /// <summary>u, the default: no statement.</summary>
    Unspecified,
    /// <summary>y: a public suffix domain; the organizational domain is the name one label below.</summary>
    Yes,
    /// <summary>n: the record's domain is an organizational domain.</summary>
    No,
}

public static class DmarcKeywords
{
    public static string ToKeyword(this DmarcPolicy policy) => policy switch
    {
        DmarcPolicy.Quarantine => "quarantine",
        DmarcPolicy.Reject => "reject",
        _ => "none",
    };

    public static string ToKeyword(this DmarcAlignment alignment) => alignment == DmarcAlignment.Strict ? "s" : "r";

    public static string ToKeyword(this DmarcPsd psd) => psd switch
    {
        DmarcPsd.Yes => "y",
        DmarcPsd.No => "n",
        _ => "u",
    };

    public static bool TryParsePolicy(ReadOnlySpan<char> value, out DmarcPolicy policy)
    {
        policy = DmarcPolicy.None;
        if (value.Equals("none", StringComparison.OrdinalIgnoreCase)) return true;
        if (value.Equals("quarantine", StringComparison.OrdinalIgnoreCase))
        {
            policy = DmarcPolicy.Quarantine;
            return true;
        }
        if (value.Equals("reject", StringComparison.OrdinalIgnoreCase))
        {
            policy = DmarcPolicy.Reject;
            return true;
        }
        return false;
    }
}
