using System.Globalization;
using Estafeta.MailAuth.Dmarc;

namespace Estafeta.MailAuth.Arc;

/// <summary>The outcome of validating a message's ARC chain.</summary>
public sealed record ArcResult
{
    public required ArcStatus Status { get; init; }

    /// <summary>Why, e.g. "ARC-Seal i=2 did not verify".</summary>
    public required string Reason { get; init; }

    /// <summary>The sets found, oldest (i=1) first; empty when the message has none.</summary>
    public IReadOnlyList<ArcSetResult> Sets { get; init; } = [];

    /// <summary>The highest instance present (0 without a chain).</summary>
    public int Instances => Sets.Count == 0 ? 0 : Sets[^1].Instance;

    /// <summary>The oldest instance whose ARC-Message-Signature still verifies (RFC 8617 §10.2
    /// header.oldest-pass); null when not every message signature was checked.</summary>
    public int? OldestPass { get; init; }

    /// <summary>arc=pass (i=2 ...) for Authentication-Results.</summary>
    public AuthenticationResult ToAuthenticationResult(string? remoteIp = null)
    {
        var properties = new List<AuthenticationResultProperty>();
        if (Status == ArcStatus.Pass && OldestPass is { } oldest)
            properties.Add(new AuthenticationResultProperty("header", "oldest-pass", oldest.ToString(CultureInfo.InvariantCulture)));
        if (!string.IsNullOrEmpty(remoteIp)) properties.Add(new AuthenticationResultProperty("smtp", "remote-ip", remoteIp));
        var comment = Sets.Count == 0 ? Reason : string.Create(CultureInfo.InvariantCulture, $"i={Instances} {Sets[^1].SealDomain}: {Reason}");
        return new AuthenticationResult { Method = "arc", Result = Status.ToKeyword(), Comment = comment, Properties = properties };
    }

    public override string ToString() => $"arc={Status.ToKeyword()}: {Reason}";
}

/// <summary>One ARC set as checked. <see cref="MessageSignatureVerified"/> is null when that
/// signature was not evaluated (only the newest must be).</summary>
public sealed record ArcSetResult(
    int Instance,
    ArcStatus ChainValidation,
    string SealDomain,
    string SealSelector,
    string MessageSignatureDomain,
    bool SealVerified,
    bool? MessageSignatureVerified,
    string? Problem,
    AuthenticationResultsHeader? AuthenticationResults);
