namespace Estafeta.MailAuth.Spf;

/// <summary>What one check_host() level returned: the result, and for a matched mechanism the record
/// and domain it belongs to (the explanation, if any, is evaluated from those).</summary>
internal readonly record struct SpfHostOutcome(SpfResult Result, string Domain, SpfRecord? Record, SpfMechanism? Mechanism)
{
    public static SpfHostOutcome Error(SpfResult result, string domain) => new(result, domain, null, null);
}

/// <summary>Whether a mechanism matched, or the error that stops evaluation.</summary>
internal enum SpfMatch
{
    No,
    Yes,
    TempError,
    PermError,
}
