using System.Net;
using System.Net.Sockets;
using DnsClient;
using DnsClient.Protocol;

namespace Estafeta.MailAuth.Dns;

/// <summary>The product's resolver: DnsClient's <see cref="LookupClient"/> over UDP with TCP fallback
/// on truncation, behind a bounded cache that honours TTLs. NXDOMAIN and NODATA are cached for the
/// SOA minimum (or <see cref="DnsClientResolverOptions.NegativeTtl"/>); failures are never cached.</summary>
public sealed class DnsClientResolver : IDnsResolver
{
    private readonly LookupClient _client;
    private readonly DnsAnswerCache _cache;
    private readonly DnsClientResolverOptions _options;

    public DnsClientResolver(DnsClientResolverOptions? options = null, TimeProvider? time = null)
    {
        _options = options ?? new DnsClientResolverOptions();
        _options.Validate();
        _cache = new DnsAnswerCache(_options.CacheCapacity, time ?? TimeProvider.System);

        var lookup = _options.Servers.Count == 0
            ? new LookupClientOptions()
            : new LookupClientOptions(_options.Servers.Select(static s => new NameServer(s)).ToArray());
        lookup.UseCache = false;
        lookup.Timeout = _options.Timeout;
        lookup.Retries = _options.Retries;
        lookup.UseTcpFallback = true;
        lookup.ThrowDnsErrors = false;
        lookup.ContinueOnEmptyResponse = false;
        lookup.EnableAuditTrail = false;
        _client = new LookupClient(lookup);
    }

    /// <summary>The servers this resolver asks.</summary>
    public IReadOnlyList<IPEndPoint> Servers =>
        _client.NameServers.Select(static s => new IPEndPoint(IPAddress.Parse(s.Address), s.Port)).ToArray();

    /// <summary>Answers currently held in the cache.</summary>
    public int CachedAnswers => _cache.Count;

    public void ClearCache() => _cache.Clear();

    public Task<DnsAnswer<string>> TxtAsync(string name, CancellationToken ct = default) =>
        LookupAsync(name, QueryType.TXT, static response => response.Answers.TxtRecords()
            .Select(static r => string.Concat(r.Text)).ToArray(), ct);

    public Task<DnsAnswer<IPAddress>> AAsync(string name, CancellationToken ct = default) =>
        LookupAsync(name, QueryType.A, static response => response.Answers.ARecords()
            .Select(static r => r.Address).ToArray(), ct);

    public Task<DnsAnswer<IPAddress>> AaaaAsync(string name, CancellationToken ct = default) =>
        LookupAsync(name, QueryType.AAAA, static response => response.Answers.AaaaRecords()
            .Select(static r => r.Address).ToArray(), ct);

    public Task<DnsAnswer<MxRecord>> MxAsync(string name, CancellationToken ct = default) =>
        LookupAsync(name, QueryType.MX, static response => response.Answers.MxRecords()
            .Select(static r => new MxRecord(r.Preference, DnsName.TrimTrailingDot(r.Exchange.Value)))
            .OrderBy(static r => r.Preference)
            .ToArray(), ct);

    public Task<DnsAnswer<string>> PtrAsync(IPAddress address, CancellationToken ct = default) =>
        LookupAsync(ReverseDnsName.For(address), QueryType.PTR, static response => response.Answers.PtrRecords()
            .Select(static r => DnsName.TrimTrailingDot(r.PtrDomainName.Value)).ToArray(), ct);

    private Task<DnsAnswer<T>> LookupAsync<T>(string name, QueryType type, Func<IDnsQueryResponse, T[]> extract, CancellationToken ct)
    {
        var key = DnsName.TrimTrailingDot(name).ToLowerInvariant();
        // The cache first: a name in it passed the check below when it was first asked, and a warm lookup (every
        // DKIM key and SPF record of a known sender) skips walking its labels again.
        if (_cache.TryGet<T>((int)type, key, out var cached)) return cached;
        return DnsName.CanQuery(key) ? QueryAsync(key, type, extract, ct) : Task.FromResult(DnsAnswer<T>.NxDomain);
    }

    private async Task<DnsAnswer<T>> QueryAsync<T>(string key, QueryType type, Func<IDnsQueryResponse, T[]> extract, CancellationToken ct)
    {
        IDnsQueryResponse response;
        try
        {
            response = await _client.QueryAsync(key, type, QueryClass.IN, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is DnsResponseException or SocketException or TimeoutException or OperationCanceledException or IOException)
        {
            return DnsAnswer<T>.TempFail;
        }
        catch (ArgumentException)
        {
            // DnsClient refuses names it cannot encode; such a name cannot exist.
            return DnsAnswer<T>.NxDomain;
        }

        var (answer, ttl) = Map(response, extract);
        if (answer.Status != DnsStatus.TemporaryFailure)
        {
            _cache.Set((int)type, key, Task.FromResult(answer), ttl);
        }

        return answer;
    }

    private (DnsAnswer<T> Answer, TimeSpan Ttl) Map<T>(IDnsQueryResponse response, Func<IDnsQueryResponse, T[]> extract)
    {
        switch (response.Header.ResponseCode)
        {
            case DnsHeaderResponseCode.NoError:
                var records = extract(response);
                if (records.Length == 0)
                {
                    return (DnsAnswer<T>.NoData, NegativeTtl(response));
                }

                var ttl = response.Answers.Count == 0 ? 0 : response.Answers.Min(static r => r.TimeToLive);
                return (new DnsAnswer<T>(DnsStatus.Ok, records), Cap(TimeSpan.FromSeconds(Math.Max(0, ttl))));
            case DnsHeaderResponseCode.NotExistentDomain:
                return (DnsAnswer<T>.NxDomain, NegativeTtl(response));
            default:
                return (DnsAnswer<T>.TempFail, TimeSpan.Zero);
        }
    }

    /// <summary>RFC 2308 §5: the lesser of the SOA's TTL and its MINIMUM field.</summary>
    private TimeSpan NegativeTtl(IDnsQueryResponse response)
    {
        var soa = response.Authorities.SoaRecords().FirstOrDefault();
        if (soa is null)
        {
            return Cap(_options.NegativeTtl);
        }

        var seconds = Math.Min((long)Math.Max(0, soa.TimeToLive), soa.Minimum);
        return Cap(TimeSpan.FromSeconds(seconds));
    }

    private TimeSpan Cap(TimeSpan ttl) => ttl > _options.MaximumTtl ? _options.MaximumTtl : ttl;
}
