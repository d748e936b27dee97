using Estafeta.Storage;

namespace Estafeta.Mail.Outbound;

/// <summary>The routing table (like Postfix's transport maps): a destination domain's own entry, else the
/// <c>*</c> entry, else none (deliver to the domain's MX).</summary>
public sealed class RoutingTable(IReadOnlyList<OutboundRoute> routes)
{
    private readonly Dictionary<string, OutboundRoute> _byDomain = routes.ToDictionary(r => r.Destination.ToLowerInvariant(), StringComparer.Ordinal);
    private readonly Dictionary<OutboundRoute, string> _keys = KeysOf(routes);

    public static RoutingTable Empty { get; } = new([]);

    public OutboundRoute? Find(string domain) =>
        _byDomain.TryGetValue(domain.ToLowerInvariant(), out var route) ? route : _byDomain.GetValueOrDefault("*");

    /// <summary>The destination a route's mail is queued and delivered under (its jobs, connections and limits):
    /// <c>route:HOST:PORT:TLS:USER</c>, shared by the routes that reach one host the same way and log in as one user,
    /// so their mail travels over the same connections. A connection logs in once, with one route's password, so
    /// routes that give that user different passwords are told apart by a suffix (#2, #3 ... in the order of the
    /// routes' destinations) rather than one of them being delivered under the other's login. The key names no
    /// password: it appears in logs, metrics and delivery reports.</summary>
    public string KeyOf(OutboundRoute route) => _keys[route];

    private static Dictionary<OutboundRoute, string> KeysOf(IReadOnlyList<OutboundRoute> routes)
    {
        var keys = new Dictionary<OutboundRoute, string>();
        var ordered = routes.OrderBy(r => r.Destination, StringComparer.OrdinalIgnoreCase);
        foreach (var shared in ordered.GroupBy(r => $"route:{r.Host.ToLowerInvariant()}:{r.Port}:{(r.TlsRequired ? "tls" : "may")}:{r.AuthUser}", StringComparer.Ordinal))
        {
            var passwords = shared.Select(r => r.AuthPassword ?? "").Distinct(StringComparer.Ordinal).ToList();
            foreach (var route in shared)
            {
                var index = passwords.IndexOf(route.AuthPassword ?? "");
                keys[route] = index == 0 ? shared.Key : $"{shared.Key}#{index + 1}";
            }
        }

        return keys;
    }
}
