using System.Net;
using Estafeta.MailAuth.Dns;

namespace Estafeta.Testing;

/// <summary>An in-memory zone served by <see cref="LoopbackDnsServer"/> and read by
/// <see cref="InMemoryDnsResolver"/>. Names are case-insensitive, a trailing dot is ignored.
/// A name with no record but with records below it is an empty non-terminal (NODATA, not NXDOMAIN).
/// Thread-safe: tests may change the zone while a server answers from it.</summary>
public sealed class DnsZone
{
    private const int MaxCnameHops = 16;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, List<ZoneRecord>> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Name, DnsRecordType? Type), DnsZoneOutcome> _faults = new();
    private readonly List<(Func<string, DnsRecordType, bool> Predicate, DnsZoneOutcome Outcome)> _faultRules = [];

    /// <summary>TTL of records added without one.</summary>
    public TimeSpan DefaultTtl { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>TTL and MINIMUM of the SOA sent with NXDOMAIN and NODATA answers.</summary>
    public TimeSpan NegativeTtl { get; set; } = TimeSpan.FromMinutes(1);

    public DnsZone AddA(string name, params string[] addresses)
    {
        foreach (var address in addresses)
        {
            AddA(name, IPAddress.Parse(address));
        }

        return this;
    }

    public DnsZone AddA(string name, IPAddress address, TimeSpan? ttl = null) =>
        Add(new AddressZoneRecord(name, address, ttl ?? DefaultTtl));

    public DnsZone AddAaaa(string name, params string[] addresses) => AddA(name, addresses);

    public DnsZone AddAaaa(string name, IPAddress address, TimeSpan? ttl = null) => AddA(name, address, ttl);

    /// <summary>An MX record; an empty or "." exchange is a null MX.</summary>
    public DnsZone AddMx(string name, int preference, string exchange, TimeSpan? ttl = null) =>
        Add(new MxZoneRecord(name, preference, DnsName.TrimTrailingDot(exchange), ttl ?? DefaultTtl));

    /// <summary>One TXT record made of <paramref name="strings"/> (each one character-string,
    /// split at 255 octets on the wire). No strings at all is a TXT record with empty data.</summary>
    public DnsZone AddTxt(string name, params string[] strings) =>
        Add(new TxtZoneRecord(name, strings.ToArray(), DefaultTtl));

    public DnsZone AddTxt(string name, TimeSpan ttl, params string[] strings) =>
        Add(new TxtZoneRecord(name, strings.ToArray(), ttl));

    public DnsZone AddPtr(string name, string target, TimeSpan? ttl = null) =>
        Add(new NameZoneRecord(name, DnsRecordType.Ptr, DnsName.TrimTrailingDot(target), ttl ?? DefaultTtl));

    /// <summary>A PTR record at the reverse name of <paramref name="address"/>.</summary>
    public DnsZone AddPtr(IPAddress address, string target, TimeSpan? ttl = null) =>
        AddPtr(ReverseDnsName.For(address), target, ttl);

    public DnsZone AddCname(string name, string target, TimeSpan? ttl = null) =>
        Add(new NameZoneRecord(name, DnsRecordType.Cname, DnsName.TrimTrailingDot(target), ttl ?? DefaultTtl));

    public DnsZone Add(ZoneRecord record)
    {
        var key = Key(record.Name);
        lock (_lock)
        {
            if (!_names.TryGetValue(key, out var records))
            {
                _names[key] = records = [];
            }

            records.Add(record);
        }

        return this;
    }

    /// <summary>Removes the records of <paramref name="name"/> (of one type, or all).</summary>
    public DnsZone Remove(string name, DnsRecordType? type = null)
    {
        var key = Key(name);
        lock (_lock)
        {
            if (_names.TryGetValue(key, out var records))
            {
                records.RemoveAll(r => type is null || r.Type == type);
                if (records.Count == 0)
                {
                    _names.Remove(key);
                }
            }
        }

        return this;
    }

    /// <summary>Questions for <paramref name="name"/> (of one type, or any) are never answered.</summary>
    public DnsZone TimeOut(string name, DnsRecordType? type = null) => Fault(name, type, DnsZoneOutcome.Timeout);

    /// <summary>Questions for <paramref name="name"/> (of one type, or any) get SERVFAIL.</summary>
    public DnsZone FailWithServerFailure(string name, DnsRecordType? type = null) =>
        Fault(name, type, DnsZoneOutcome.ServerFailure);

    /// <summary>Questions matching <paramref name="predicate"/> (given the lower-cased name) are never answered.</summary>
    public DnsZone TimeOutWhere(Func<string, DnsRecordType, bool> predicate)
    {
        lock (_lock)
        {
            _faultRules.Add((predicate, DnsZoneOutcome.Timeout));
        }

        return this;
    }

    /// <summary>Removes faults set on <paramref name="name"/>.</summary>
    public DnsZone ClearFaults(string name)
    {
        var key = Key(name);
        lock (_lock)
        {
            foreach (var fault in _faults.Keys.Where(k => k.Name == key).ToArray())
            {
                _faults.Remove(fault);
            }
        }

        return this;
    }

    public IReadOnlyList<ZoneRecord> Records
    {
        get
        {
            lock (_lock)
            {
                return _names.Values.SelectMany(r => r).ToArray();
            }
        }
    }

    /// <summary>Answers a question the way an authoritative server would, following CNAMEs.</summary>
    public DnsZoneAnswer Resolve(string name, DnsRecordType type)
    {
        var current = Key(name);
        var chain = new List<ZoneRecord>();
        lock (_lock)
        {
            for (var hops = 0; ; hops++)
            {
                var fault = FaultFor(current, type);
                if (fault is not null)
                {
                    return new DnsZoneAnswer(fault.Value, chain);
                }

                if (!_names.TryGetValue(current, out var records))
                {
                    return new DnsZoneAnswer(HasDescendants(current) ? DnsZoneOutcome.Answer : DnsZoneOutcome.NameError, chain);
                }

                var cname = type is DnsRecordType.Cname or DnsRecordType.Any
                    ? null
                    : records.FirstOrDefault(r => r.Type == DnsRecordType.Cname) as NameZoneRecord;
                if (cname is null)
                {
                    chain.AddRange(records.Where(r => r.Type == type || type == DnsRecordType.Any));
                    return new DnsZoneAnswer(DnsZoneOutcome.Answer, chain);
                }

                var target = Key(cname.Target);
                if (hops == MaxCnameHops || target == current || chain.Any(r => Key(r.Name) == target))
                {
                    return new DnsZoneAnswer(DnsZoneOutcome.ServerFailure, chain);
                }

                chain.Add(cname);
                current = target;
            }
        }
    }

    internal static string Key(string name) => DnsName.TrimTrailingDot(name).ToLowerInvariant();

    private DnsZone Fault(string name, DnsRecordType? type, DnsZoneOutcome outcome)
    {
        lock (_lock)
        {
            _faults[(Key(name), type)] = outcome;
        }

        return this;
    }

    private DnsZoneOutcome? FaultFor(string key, DnsRecordType type)
    {
        if (_faults.TryGetValue((key, type), out var outcome) || _faults.TryGetValue((key, null), out outcome))
        {
            return outcome;
        }

        foreach (var (predicate, ruleOutcome) in _faultRules)
        {
            if (predicate(key, type))
            {
                return ruleOutcome;
            }
        }

        return null;
    }

    private bool HasDescendants(string key)
    {
        var suffix = "." + key;
        return _names.Keys.Any(k => k.EndsWith(suffix, StringComparison.Ordinal));
    }
}
