namespace Estafeta.MailAuth.TlsRpt;

/// <summary>An SMTP TLS report (RFC 8460 §4): what a sending organisation saw when it delivered to the
/// policy domains named in <see cref="Policies"/> over a period. Values are kept as the reporter wrote them
/// (keywords lower-cased); <see cref="Warnings"/> lists what was odd but not unusable.</summary>
public sealed record TlsReport
{
    public required string OrganizationName { get; init; }
    public required DateTimeOffset Begin { get; init; }
    public required DateTimeOffset End { get; init; }
    public string? ContactInfo { get; init; }
    public required string ReportId { get; init; }
    public required IReadOnlyList<TlsReportPolicy> Policies { get; init; }

    /// <summary>The TLS-Report-Domain and TLS-Report-Submitter fields of the report mail (RFC 8460 §5.3), when it came by mail.</summary>
    public string? ReportDomainHeader { get; init; }
    public string? SubmitterHeader { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>Who sent the report: the TLS-Report-Submitter field when the mail carried one, else the organization name.
    /// With the report id it identifies a report (a re-sent report is the same report).</summary>
    public string Submitter => string.IsNullOrWhiteSpace(SubmitterHeader) ? OrganizationName : SubmitterHeader.Trim().ToLowerInvariant();
}

/// <summary>One policy's block: the policy the sender applied, its session counts and its failures.</summary>
public sealed record TlsReportPolicy
{
    /// <summary>sts, tlsa or no-policy-found.</summary>
    public required string PolicyType { get; init; }

    /// <summary>The policy as the sender saw it: the MTA-STS policy file's lines or the TLSA records.</summary>
    public IReadOnlyList<string> PolicyStrings { get; init; } = [];

    /// <summary>The domain the policy is about, lower case, without a final dot.</summary>
    public required string PolicyDomain { get; init; }

    /// <summary>The MX host patterns of an MTA-STS policy.</summary>
    public IReadOnlyList<string> MxHosts { get; init; } = [];

    public required long SuccessfulSessions { get; init; }
    public required long FailedSessions { get; init; }
    public IReadOnlyList<TlsFailureDetail> FailureDetails { get; init; } = [];
}

/// <summary>One failure-details entry: a kind of failure between one sending MTA and one receiving MX.</summary>
public sealed record TlsFailureDetail
{
    /// <summary>starttls-not-supported, certificate-host-mismatch, certificate-expired, certificate-not-trusted,
    /// validation-failure, tlsa-invalid, dnssec-invalid, dane-required, sts-policy-fetch-error, sts-policy-invalid,
    /// sts-webpki-invalid, or a reporter's own word (lower-cased).</summary>
    public required string ResultType { get; init; }
    public string? SendingMtaIp { get; init; }
    public string? ReceivingMxHostname { get; init; }
    public string? ReceivingMxHelo { get; init; }
    public string? ReceivingIp { get; init; }
    public required long FailedSessions { get; init; }
    public string? AdditionalInformation { get; init; }
    public string? FailureReasonCode { get; init; }
}
