using Estafeta.MailAuth.PublicSuffix;

namespace Estafeta.MailAuth.Dmarc;

public sealed record DmarcEvaluatorOptions
{
    public static DmarcEvaluatorOptions Default { get; } = new();

    /// <summary>RFC 9989's tree walk by default; the RFC 7489 Public Suffix List method on request.</summary>
    public DmarcDiscoveryMethod DiscoveryMethod { get; init; } = DmarcDiscoveryMethod.TreeWalk;

    /// <summary>The list used by the RFC 7489 method and as the fallback when a tree walk for an
    /// authenticated identifier meets a DNS failure; null uses the built-in copy.</summary>
    public PublicSuffixList? PublicSuffixList { get; init; }
}
