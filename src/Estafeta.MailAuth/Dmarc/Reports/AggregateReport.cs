using System.Net;

namespace Estafeta.MailAuth.Dmarc.Reports;

/// <summary>A DMARC aggregate report (RFC 9990; also RFC 7489 Appendix C and the drafts before
/// it). Values are kept as the reporter wrote them (keywords lower-cased), because real reports
/// stray from the schemas; <see cref="Warnings"/> lists what was odd.</summary>
public sealed record AggregateReport
{
    /// <summary>The version element, when present ("1.0" in RFC 9990 and RFC 7489 reports).</summary>
    public string? Version { get; init; }

    /// <summary>The XML namespace of the feedback element, empty when none
    /// ("urn:ietf:params:xml:ns:dmarc-2.0" marks RFC 9990).</summary>
    public string Namespace { get; init; } = string.Empty;

    public required AggregateReportMetadata Metadata { get; init; }

    public required AggregateReportPolicy Policy { get; init; }

    public IReadOnlyList<AggregateReportRecord> Records { get; init; } = [];

    /// <summary>Top-level extensions.</summary>
    public IReadOnlyList<AggregateReportExtension> Extensions { get; init; } = [];

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Messages covered: the sum of the records' counts.</summary>
    public long MessageCount => Records.Sum(r => r.Count);
}

public sealed record AggregateReportMetadata
{
    public required string OrgName { get; init; }
    public required string Email { get; init; }
    public string? ExtraContactInfo { get; init; }
    public required string ReportId { get; init; }
    public required DateTimeOffset Begin { get; init; }
    public required DateTimeOffset End { get; init; }
    public IReadOnlyList<string> Errors { get; init; } = [];
    public string? Generator { get; init; }
}

/// <summary>policy_published: the record the reporter found. Unknown or missing values are null.</summary>
public sealed record AggregateReportPolicy
{
    public required string Domain { get; init; }
    public DmarcAlignment? Adkim { get; init; }
    public DmarcAlignment? Aspf { get; init; }
    public DmarcPolicy? P { get; init; }
    public DmarcPolicy? Sp { get; init; }
    public DmarcPolicy? Np { get; init; }
    /// <summary>pct (RFC 7489 reports only).</summary>
    public int? Pct { get; init; }
    public string? Fo { get; init; }
    /// <summary>testing (RFC 9990): t=y.</summary>
    public bool? Testing { get; init; }
    /// <summary>discovery_method (RFC 9990): "treewalk" or "psl".</summary>
    public string? DiscoveryMethod { get; init; }
    public string? VersionPublished { get; init; }

    /// <summary>The policy_published section describing <paramref name="record"/> found at <paramref name="domain"/>.</summary>
    public static AggregateReportPolicy FromRecord(string domain, DmarcRecord record, DmarcDiscoveryMethod method = DmarcDiscoveryMethod.TreeWalk) => new()
    {
        Domain = domain,
        Adkim = record.DkimAlignment,
        Aspf = record.SpfAlignment,
        P = record.Policy,
        Sp = record.SubdomainPolicy,
        Np = record.NonexistentSubdomainPolicy,
        Fo = string.Join(':', record.FailureReportingOptions),
        Testing = record.Testing,
        DiscoveryMethod = method == DmarcDiscoveryMethod.TreeWalk ? "treewalk" : "psl",
    };
}

/// <summary>One record: a row (source, count, evaluated policy), the identifiers and the raw results.</summary>
public sealed record AggregateReportRecord
{
    /// <summary>source_ip as written.</summary>
    public required string SourceIp { get; init; }

    /// <summary>source_ip parsed, or null when it is not an address.</summary>
    public IPAddress? SourceAddress => IPAddress.TryParse(SourceIp, out var address) ? address : null;

    public required long Count { get; init; }

    /// <summary>none, pass (RFC 9990: passed under an enforced policy), quarantine or reject.</summary>
    public required string Disposition { get; init; }

    /// <summary>policy_evaluated/dkim: "pass" when an aligned DKIM signature passed, else "fail".</summary>
    public string? DkimEvaluated { get; init; }

    /// <summary>policy_evaluated/spf: "pass" when aligned SPF passed, else "fail".</summary>
    public string? SpfEvaluated { get; init; }

    public IReadOnlyList<AggregateReportReason> Reasons { get; init; } = [];

    public string? EnvelopeTo { get; init; }
    public string? EnvelopeFrom { get; init; }
    public required string HeaderFrom { get; init; }

    public IReadOnlyList<AggregateReportDkimResult> DkimResults { get; init; } = [];
    public IReadOnlyList<AggregateReportSpfResult> SpfResults { get; init; } = [];
    public IReadOnlyList<AggregateReportExtension> Extensions { get; init; } = [];

    /// <summary>DMARC passed: an aligned identifier passed.</summary>
    public bool DmarcPassed => DkimEvaluated == "pass" || SpfEvaluated == "pass";
}

/// <summary>A policy override reason: local_policy, mailing_list, other, policy_test_mode,
/// trusted_forwarder (RFC 9990), or RFC 7489's forwarded, sampled_out.</summary>
public sealed record AggregateReportReason(string Type, string? Comment);

public sealed record AggregateReportDkimResult(string Domain, string? Selector, string Result, string? HumanResult = null);

/// <summary>An SPF result; <see cref="Scope"/> is mfrom or helo (RFC 7489), or absent.</summary>
public sealed record AggregateReportSpfResult(string Domain, string? Scope, string Result, string? HumanResult = null);

public sealed record AggregateReportExtension(string Name, string? Definition);
