using Estafeta.Storage;

namespace Estafeta.Mail.Outbound;

/// <summary>Finds the <see cref="DestinationLimit"/> of a destination: an exact domain entry first, then
/// <c>*.domain</c> entries (longest first), then <c>mx:</c> patterns matched against the first MX host.</summary>
public sealed class LimitTable(IReadOnlyList<DestinationLimit> limits)
{
    public static LimitTable Empty { get; } = new([]);

    public DestinationLimit? Find(string domain, string? mxHost)
    {
        domain = domain.ToLowerInvariant();
        var exact = limits.FirstOrDefault(l => l.Pattern == domain);
        if (exact is not null) return exact;
        var wildcard = limits.Where(l => l.Pattern.StartsWith("*.", StringComparison.Ordinal) && Matches(l.Pattern, domain))
            .OrderByDescending(l => l.Pattern.Length).FirstOrDefault();
        if (wildcard is not null) return wildcard;
        if (mxHost is null) return null;
        var host = mxHost.ToLowerInvariant().TrimEnd('.');
        return limits.Where(l => l.Pattern.StartsWith("mx:", StringComparison.Ordinal) && Matches(l.Pattern[3..], host))
            .OrderByDescending(l => l.Pattern.Length).FirstOrDefault();
    }

    /// <summary><c>*.example.com</c> matches example.com and every name below it; anything else matches itself.</summary>
    public static bool Matches(string pattern, string name)
    {
        if (!pattern.StartsWith("*.", StringComparison.Ordinal)) return pattern == name;
        var parent = pattern[2..];
        return name == parent || name.EndsWith("." + parent, StringComparison.Ordinal);
    }
}
