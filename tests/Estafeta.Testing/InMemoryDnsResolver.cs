using System.Collections.Concurrent;
using System.Net;
using Estafeta.MailAuth.Dns;

namespace Estafeta.Testing;

/// <summary>An <see cref="IDnsResolver"/> answering straight from a <see cref="DnsZone"/>, for unit
/// tests. SERVFAIL and never-answered questions both come back as <see cref="DnsStatus.TemporaryFailure"/>.</summary>
public sealed class InMemoryDnsResolver(DnsZone zone) : IDnsResolver
{
    private readonly ConcurrentQueue<(string Name, DnsRecordType Type)> _queries = new();
    private int _queryCount;

    public InMemoryDnsResolver()
        : this(new DnsZone())
    {
    }

    public DnsZone Zone { get; } = zone;

    public int QueryCount => Volatile.Read(ref _queryCount);

    public IReadOnlyList<(string Name, DnsRecordType Type)> Queries => _queries.ToArray();

    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct = default) =>
        Task.FromResult(Ask(name, DnsRecordType.Txt, static (TxtZoneRecord r) => r.Text));

    public Task<DnsAnswer<IPAddress>> AAsync(string name, CancellationToken ct = default) =>
        Task.FromResult(Ask(name, DnsRecordType.A, static (AddressZoneRecord r) => r.Address));

    public Task<DnsAnswer<IPAddress>> AaaaAsync(string name, CancellationToken ct = default) =>
        Task.FromResult(Ask(name, DnsRecordType.Aaaa, static (AddressZoneRecord r) => r.Address));

    public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct = default) =>
        Task.FromResult(Ask(name, DnsRecordType.Mx, static (MxZoneRecord r) => new MxRecord(r.Preference, r.Exchange)));

    public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct = default) =>
        Task.FromResult(Ask(ReverseDnsName.For(address), DnsRecordType.Ptr, static (NameZoneRecord r) => r.Target));

    private DnsAnswer<T> Ask<TRecord, T>(string name, DnsRecordType type, Func<TRecord, T> select) where TRecord : ZoneRecord
    {
        Interlocked.Increment(ref _queryCount);
        _queries.Enqueue((name, type));
        var answer = Zone.Resolve(name, type);
        return answer.Outcome switch
        {
            DnsZoneOutcome.Answer => new DnsAnswer<T>(DnsStatus.Ok, answer.Of<TRecord>(type).Select(select).ToArray()),
            DnsZoneOutcome.NameError => DnsAnswer<T>.NxDomain,
            _ => DnsAnswer<T>.TempFail,
        };
    }
}
