using System.Net;

namespace Estafeta.MailAuth.Dns;

/// <summary>The DNS questions mail authentication asks. One implementation talks to real servers
/// (with a TTL cache); tests use an in-memory zone or a real DNS server on loopback.</summary>
public interface IDnsResolver
{
    /// <summary>TXT records of <paramref name="name"/>; each record's character-strings are concatenated.</summary>
    Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct = default);
    Task<DnsAnswer<IPAddress>> AAsync(string name, CancellationToken ct = default);
    Task<DnsAnswer<IPAddress>> AaaaAsync(string name, CancellationToken ct = default);
    Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct = default);
    /// <summary>PTR names for an address (the reverse name is built by the resolver).</summary>
    Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct = default);
}

public enum DnsStatus
{
    /// <summary>The name exists; Records may still be empty (NODATA).</summary>
    Ok,
    /// <summary>NXDOMAIN: the name does not exist.</summary>
    NameError,
    /// <summary>SERVFAIL, timeout or any other transient failure.</summary>
    TemporaryFailure,
}

public sealed record DnsAnswer<T>(DnsStatus Status, IReadOnlyList<T> Records)
{
    public static DnsAnswer<T> Of(params T[] records) => new(DnsStatus.Ok, records);
    public static DnsAnswer<T> NoData { get; } = new(DnsStatus.Ok, Array.Empty<T>());
    public static DnsAnswer<T> NxDomain { get; } = new(DnsStatus.NameError, Array.Empty<T>());
    public static DnsAnswer<T> TempFail { get; } = new(DnsStatus.TemporaryFailure, Array.Empty<T>());
    /// <summary>True for NXDOMAIN and for an empty answer (a "void lookup" in RFC 7208 terms).</summary>
    public bool IsVoid => Status == DnsStatus.NameError || (Status == DnsStatus.Ok && Records.Count == 0);
}

public sealed record MxRecord(int Preference, string Exchange);
