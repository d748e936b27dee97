using System.Net;
using Estafeta.MailAuth.Dns;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>TXT records from a dictionary; names listed in <see cref="TimingOut"/> fail temporarily,
/// everything else is NXDOMAIN. Counts queries so tests can see what was asked.</summary>
internal sealed class InMemoryDns : IDnsResolver
{
    private readonly Dictionary<string, List<string>> txt = new(StringComparer.OrdinalIgnoreCase);

    public HashSet<string> TimingOut { get; } = new(StringComparer.OrdinalIgnoreCase);
    public int TxtQueries { get; private set; }

    public InMemoryDns Add(string name, string value)
    {
        name = name.TrimEnd('.');
        if (!txt.TryGetValue(name, out var values)) txt[name] = values = [];
        values.Add(value);
        return this;
    }

    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct = default)
    {
        TxtQueries++;
        name = name.TrimEnd('.');
        if (TimingOut.Contains(name)) return Task.FromResult(DnsAnswer<string>.TempFail);
        return Task.FromResult(txt.TryGetValue(name, out var values) ? DnsAnswer<string>.Of([.. values]) : DnsAnswer<string>.NxDomain);
    }

    public Task<DnsAnswer<IPAddress>> AAsync(string name, CancellationToken ct = default) => Task.FromResult(DnsAnswer<IPAddress>.NxDomain);
    public Task<DnsAnswer<IPAddress>> AaaaAsync(string name, CancellationToken ct = default) => Task.FromResult(DnsAnswer<IPAddress>.NxDomain);
    public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct = default) => Task.FromResult(DnsAnswer<MxRecord>.NxDomain);
    public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct = default) => Task.FromResult(DnsAnswer<string>.NxDomain);
}
