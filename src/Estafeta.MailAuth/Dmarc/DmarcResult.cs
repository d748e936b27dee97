using System.Text;

namespace Estafeta.MailAuth.Dmarc;

/// <summary>The outcome of DMARC for one message.</summary>
public sealed record DmarcResult
{
    public required DmarcStatus Status { get; init; }

    /// <summary>What to do with the message: none unless DMARC failed under an enforced policy.</summary>
    public required DmarcPolicy Disposition { get; init; }

    /// <summary>The From domain evaluated (the one that decided, with several From domains).</summary>
    public required string FromDomain { get; init; }

    /// <summary>A human explanation, e.g. "aligned DKIM signature from example.com".</summary>
    public required string Reason { get; init; }

    /// <summary>The domain whose record applied.</summary>
    public string? PolicyDomain { get; init; }

    /// <summary>The organizational domain of <see cref="FromDomain"/>.</summary>
    public string? OrganizationalDomain { get; init; }

    public DmarcRecord? Record { get; init; }

    /// <summary>The policy the record asks for this From domain (p=, sp= or np=), before t=y.</summary>
    public DmarcPolicy? RequestedPolicy { get; init; }

    public DmarcDomainRelation? Relation { get; init; }

    /// <summary>SPF passed for an aligned domain.</summary>
    public bool SpfAligned { get; init; }

    /// <summary>The d= of the first passing signature that aligned.</summary>
    public string? AlignedDkimDomain { get; init; }

    public bool DkimAligned => AlignedDkimDomain is not null;

    /// <summary>The failing policy was not applied because the record has t=y.</summary>
    public bool PolicyTestMode { get; init; }

    public DmarcDiscoveryMethod DiscoveryMethod { get; init; }

    /// <summary>With several different From domains, the result for each.</summary>
    public IReadOnlyList<DmarcResult> PerDomain { get; init; } = [];

    /// <summary>The resinfo for Authentication-Results, e.g.
    /// <c>dmarc=pass (p=reject dis=none) header.from=example.com</c>.</summary>
    public string ToAuthenticationResults()
    {
        var text = new StringBuilder("dmarc=").Append(Status.ToKeyword());
        if (RequestedPolicy is { } policy)
        {
            text.Append(" (p=").Append(policy.ToKeyword()).Append(" dis=").Append(Disposition.ToKeyword());
            if (PolicyTestMode) text.Append(" t=y");
            text.Append(')');
        }
        else
        {
            text.Append(" (").Append(AuthenticationResultsFormat.EscapeComment(Reason)).Append(')');
        }
        text.Append(" header.from=").Append(AuthenticationResultsFormat.PropertyValue(FromDomain));
        return text.ToString();
    }

    public override string ToString() => $"{ToAuthenticationResults()}: {Reason}";
}
