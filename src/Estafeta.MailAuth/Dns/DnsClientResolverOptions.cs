using System.Net;

namespace Estafeta.MailAuth.Dns;

/// <summary>Settings of <see cref="DnsClientResolver"/>.</summary>
public sealed record DnsClientResolverOptions
{
    /// <summary>Servers to ask, in order. Empty: the system's configured servers.</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; init; } = [];

    /// <summary>How long to wait for one answer before retrying or giving up.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Extra attempts after a timeout.</summary>
    public int Retries { get; init; } = 1;

    /// <summary>Most answers kept in the cache.</summary>
    public int CacheCapacity { get; init; } = 50_000;

    /// <summary>How long a negative answer (NXDOMAIN, NODATA) is kept when the server sends no SOA.</summary>
    public TimeSpan NegativeTtl { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Upper bound on how long any answer is kept, whatever its TTL.</summary>
    public TimeSpan MaximumTtl { get; init; } = TimeSpan.FromHours(6);

    /// <summary>Options that ask one server, e.g. from <c>--dns 127.0.0.1:5353</c>.</summary>
    public static DnsClientResolverOptions ForServer(string endPoint) =>
        new() { Servers = [DnsServerEndPoint.Parse(endPoint)] };

    /// <summary>Throws when a value is out of range.</summary>
    public void Validate()
    {
        if (Timeout <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, "The DNS timeout must be positive.");
        }

        if (Retries < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Retries), Retries, "DNS retries cannot be negative.");
        }

        if (CacheCapacity < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(CacheCapacity), CacheCapacity, "The DNS cache capacity cannot be negative.");
        }

        if (NegativeTtl < TimeSpan.Zero || MaximumTtl < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(NegativeTtl), "Cache lifetimes cannot be negative.");
        }
    }
}
