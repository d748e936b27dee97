using Estafeta.Storage;

namespace Estafeta.Mail.Outbound;

/// <summary>The routing table (like Postfix's transport maps): a destination domain's own entry, else the
/// <c>*</c> entry, else none (deliver to the domain's MX).</summary>
public sealed class RoutingTable(IReadOnlyList<OutboundRoute> routes)
{
    private readonly Dictionary<string, OutboundRoute> _byDomain = routes.ToDictionary(r => r.Destination.ToLowerInvariant(), StringComparer.Ordinal);

    public static RoutingTable Empty { get; } = new([]);

    public OutboundRoute? Find(string domain) =>
        _byDomain.TryGetValue(domain.ToLowerInvariant(), out var route) ? route : _byDomain.GetValueOrDefault("*");
}
