namespace Estafeta.Storage;

/// <summary>What DMARC decided for one message the MX received, kept for the daily aggregate report to
/// the policy domain. <see cref="DkimResults"/> holds one "domain selector result" line per signature;
/// <see cref="Reasons"/> one "type comment" line per policy override.</summary>
public sealed record DmarcOutcomeRow(
    DateTimeOffset ReceivedAt,
    string PolicyDomain,
    string PolicyRecord,
    string HeaderFrom,
    string SourceIp,
    string? EnvelopeFrom,
    string? EnvelopeTo,
    string SpfResult,
    string? SpfDomain,
    bool SpfAligned,
    bool DkimAligned,
    string DkimResults,
    string Dmarc,
    string Disposition,
    string Reasons);
