using System.Collections.Concurrent;
using System.Net;
using Estafeta.MailAuth.Dns;

namespace Estafeta.Bench;

/// <summary>A resolver whose cache already holds every answer, doing on each question what the product's
/// resolver (DnsClientResolver with its answer cache) does on a cache hit: name trimmed, lower-cased and checked,
/// a dictionary lookup by type and name, an expiry check, and the stored completed task handed back.
/// The rates of "warm cache" work are measured through it rather than straight through the test
/// zone's resolver, which also records every question it is asked for tests to inspect: over a
/// benchmark run that record grows by millions of entries and its garbage collection cost more than a
/// quarter of a DKIM verification.</summary>
internal sealed class WarmDnsCache(IDnsResolver zone) : IDnsResolver
{
    private readonly ConcurrentDictionary<(int Type, string Name), (object Answer, long ExpiresAt)> answers = new();

    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct = default) => Lookup(1, name, zone.TxtAsync, ct);

    public Task<DnsAnswer<IPAddress>> AAsync(string name, CancellationToken ct = default) => Lookup(2, name, zone.AAsync, ct);

    public Task<DnsAnswer<IPAddress>> AaaaAsync(string name, CancellationToken ct = default) => Lookup(3, name, zone.AaaaAsync, ct);

    public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct = default) => Lookup(4, name, zone.MxAsync, ct);

    public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct = default) => zone.PtrAsync(address, ct);

    private Task<DnsAnswer<T>> Lookup<T>(int type, string name, Func<string, CancellationToken, Task<DnsAnswer<T>>> ask, CancellationToken ct)
    {
        var key = DnsName.TrimTrailingDot(name).ToLowerInvariant();
        if (!DnsName.CanQuery(key)) return Task.FromResult(DnsAnswer<T>.NxDomain);
        if (answers.TryGetValue((type, key), out var entry) && TimeProvider.System.GetTimestamp() < entry.ExpiresAt)
            return (Task<DnsAnswer<T>>)entry.Answer;
        var answer = ask(key, ct);
        if (answer.IsCompletedSuccessfully)
            answers[(type, key)] = (answer, TimeProvider.System.GetTimestamp() + TimeProvider.System.TimestampFrequency * 3600);
        return answer;
    }
}
