namespace Estafeta.MailAuth.Dmarc;

/// <summary>A parsed DMARC policy record (RFC 9989 §4.7) as published in TXT at _dmarc.domain.
/// Tags absent or invalid take their defaults; <see cref="Issues"/> says what was wrong.</summary>
public sealed class DmarcRecord
{
    /// <summary>The record text as parsed.</summary>
    public required string Text { get; init; }

    /// <summary>p=; <see cref="DmarcPolicy.None"/> when absent or invalid with a valid rua=
    /// (RFC 7489 §6.6.3), see <see cref="HasPolicyTag"/>.</summary>
    public DmarcPolicy Policy { get; init; }

    /// <summary>True when p= was present with a valid value.</summary>
    public bool HasPolicyTag { get; init; }

    /// <summary>sp= when given.</summary>
    public DmarcPolicy? SubdomainPolicy { get; init; }

    /// <summary>np= when given.</summary>
    public DmarcPolicy? NonexistentSubdomainPolicy { get; init; }

    public DmarcPsd Psd { get; init; }

    /// <summary>t=y: the Domain Owner is testing; its policy is not to be applied.</summary>
    public bool Testing { get; init; }

    public DmarcAlignment DkimAlignment { get; init; }

    public DmarcAlignment SpfAlignment { get; init; }

    public IReadOnlyList<DmarcReportUri> AggregateReportUris { get; init; } = [];

    public IReadOnlyList<DmarcReportUri> FailureReportUris { get; init; } = [];

    /// <summary>fo= options ("0", "1", "d", "s"); ["0"] by default.</summary>
    public IReadOnlyList<string> FailureReportingOptions { get; init; } = ["0"];

    /// <summary>pct= (RFC 7489 only): the share of failing mail the policy was to be applied to.</summary>
    public int? Percent { get; init; }

    /// <summary>rf= (RFC 7489 only).</summary>
    public string? ReportFormat { get; init; }

    /// <summary>ri= (RFC 7489 only): the requested aggregate report interval in seconds.</summary>
    public long? ReportInterval { get; init; }

    /// <summary>Every tag as written, in order (name lower-cased), unknown ones included.</summary>
    public IReadOnlyList<DmarcTag> Tags { get; init; } = [];

    public IReadOnlyList<DmarcRecordIssue> Issues { get; init; } = [];

    /// <summary>The record uses tags RFC 9989 removed (pct, rf, ri).</summary>
    public bool HasObsoleteTags => Issues.Any(i => i.Kind == DmarcRecordIssueKind.ObsoleteTag);

    /// <summary>pct= below 100: under RFC 7489 part of the failing mail escaped the policy; RFC 9989
    /// receivers apply it to all of it, which a domain relying on pct may not expect.</summary>
    public bool ReliesOnPercent => Percent is < 100;

    /// <summary>The policy for mail whose From domain is the record's own domain, an existing
    /// subdomain, or a subdomain that does not exist.</summary>
    public DmarcPolicy PolicyFor(DmarcDomainRelation relation) => relation switch
    {
        DmarcDomainRelation.Subdomain => SubdomainPolicy ?? Policy,
        DmarcDomainRelation.NonexistentSubdomain => NonexistentSubdomainPolicy ?? SubdomainPolicy ?? Policy,
        _ => Policy,
    };

    /// <summary>Parses a record; false with the reason when it does not start with v=DMARC1 or
    /// cannot be used at all (no valid p= and no valid rua=).</summary>
    public static bool TryParse(string text, out DmarcRecord? record, out DmarcRecordError? error) =>
        DmarcRecordParser.TryParse(text, out record, out error);

    /// <summary>True when the text claims to be a DMARC record: it begins with "v=DMARC1" (RFC 9989
    /// §4.10: other TXT records at _dmarc are discarded before counting).</summary>
    public static bool LooksLikeDmarc(string text) => DmarcRecordParser.StartsWithVersion(text);

    public override string ToString() => Text;
}

/// <summary>One tag of a record as written: name (lower-cased), value (trimmed) and where it starts.</summary>
public sealed record DmarcTag(string Name, string Value, int Position);

/// <summary>Where the From domain sits relative to the record that holds its policy.</summary>
public enum DmarcDomainRelation
{
    /// <summary>The record is at the From domain itself: p= applies.</summary>
    SameDomain,
    /// <summary>An existing subdomain: sp=, else p=.</summary>
    Subdomain,
    /// <summary>A subdomain that does not exist (NXDOMAIN): np=, else sp=, else p=.</summary>
    NonexistentSubdomain,
}
