namespace Estafeta.Storage;

/// <summary>A TLS report (RFC 8460) another sender sent about delivering to our domains, as stored. A report is
/// identified by its submitter (the TLS-Report-Submitter field, else the organization name) and its report id.</summary>
public sealed record ReceivedTlsReport(
    string Submitter,
    string ReportId,
    string OrganizationName,
    string? ContactInfo,
    DateTimeOffset Begin,
    DateTimeOffset End,
    IReadOnlyList<ReceivedTlsPolicy> Policies);

/// <summary>One policy block: the policy type and domain, the policy as the sender saw it (lines joined with LF),
/// its MX patterns (joined with spaces), the session counts and the failures.</summary>
public sealed record ReceivedTlsPolicy(
    string PolicyType,
    string PolicyDomain,
    string PolicyString,
    string MxHosts,
    long SuccessfulSessions,
    long FailedSessions,
    IReadOnlyList<ReceivedTlsFailure> Failures);

public sealed record ReceivedTlsFailure(
    string ResultType,
    string? SendingMtaIp,
    string? ReceivingMxHostname,
    string? ReceivingMxHelo,
    string? ReceivingIp,
    long FailedSessions,
    string? AdditionalInformation,
    string? FailureReasonCode);
