namespace Estafeta.MailAuth.Dmarc;

/// <summary>What DMARC is evaluated on: the From header domain(s) and the results of SPF and DKIM.</summary>
public sealed record DmarcRequest
{
    /// <summary>The domain of every address in the RFC 5322 From header field(s).</summary>
    public required IReadOnlyList<string> FromDomains { get; init; }

    /// <summary>The SPF result for the MAIL FROM identity (or HELO when MAIL FROM was empty); null when SPF was not checked.</summary>
    public DmarcSpfInput? Spf { get; init; }

    /// <summary>One entry per DKIM signature.</summary>
    public IReadOnlyList<DmarcDkimInput> Dkim { get; init; } = [];

    public static DmarcRequest For(string fromDomain, DmarcSpfInput? spf = null, params DmarcDkimInput[] dkim) =>
        new() { FromDomains = [fromDomain], Spf = spf, Dkim = dkim };
}

/// <summary>SPF's verdict: <paramref name="Domain"/> is the domain SPF checked, <paramref name="Passed"/>
/// whether the result was pass.</summary>
public sealed record DmarcSpfInput(string Domain, bool Passed);

/// <summary>One DKIM signature: its d= and whether it verified (pass).</summary>
public sealed record DmarcDkimInput(string Domain, bool Passed);
