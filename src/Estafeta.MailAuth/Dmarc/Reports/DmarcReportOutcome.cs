using System.Net;

namespace Estafeta.MailAuth.Dmarc.Reports;

/// <summary>What happened to one received message, as an aggregate report counts it.</summary>
public sealed record DmarcReportOutcome
{
    public required IPAddress SourceIp { get; init; }

    /// <summary>The RFC 5322 From domain.</summary>
    public required string HeaderFrom { get; init; }

    /// <summary>The MAIL FROM domain (or HELO when MAIL FROM was empty).</summary>
    public string? EnvelopeFrom { get; init; }

    public string? EnvelopeTo { get; init; }

    /// <summary>The SPF result keyword (pass, fail, softfail, neutral, none, temperror, permerror).</summary>
    public required string SpfResult { get; init; }

    public string? SpfDomain { get; init; }

    public IReadOnlyList<AggregateReportDkimResult> DkimResults { get; init; } = [];

    public required DmarcStatus Dmarc { get; init; }

    /// <summary>An aligned DKIM signature passed.</summary>
    public bool DkimAligned { get; init; }

    /// <summary>Aligned SPF passed.</summary>
    public bool SpfAligned { get; init; }

    /// <summary>The disposition applied.</summary>
    public required DmarcPolicy Disposition { get; init; }

    /// <summary>Why the applied disposition differs from the policy (e.g. policy_test_mode for t=y).</summary>
    public IReadOnlyList<AggregateReportReason> Reasons { get; init; } = [];

    /// <summary>The outcome of a message whose DMARC result is <paramref name="result"/>.</summary>
    public static DmarcReportOutcome From(DmarcResult result, IPAddress sourceIp, string? envelopeFrom, string spfResult, string? spfDomain,
        IReadOnlyList<AggregateReportDkimResult> dkim, string? envelopeTo = null) => new()
    {
        SourceIp = sourceIp,
        HeaderFrom = result.FromDomain,
        EnvelopeFrom = envelopeFrom,
        EnvelopeTo = envelopeTo,
        SpfResult = spfResult,
        SpfDomain = spfDomain,
        DkimResults = dkim,
        Dmarc = result.Status,
        DkimAligned = result.DkimAligned,
        SpfAligned = result.SpfAligned,
        Disposition = result.Disposition,
        Reasons = result.PolicyTestMode ? [new AggregateReportReason("policy_test_mode", "t=y")] : [],
    };
}
