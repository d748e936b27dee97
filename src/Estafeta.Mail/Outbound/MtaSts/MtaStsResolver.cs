using System.Collections.Concurrent;
using Estafeta.MailAuth.Dns;

namespace Estafeta.Mail.Outbound.MtaSts;

/// <summary>
/// Finds the MTA-STS policy of a recipient domain (RFC 8461 §3): the <c>_mta-sts.DOMAIN</c> TXT record says a policy
/// exists and its id; the policy itself is fetched over HTTPS from <c>mta-sts.DOMAIN/.well-known/mta-sts.txt</c> (no
/// redirects, 64 KiB at most) and cached for its max_age, fetched again when the id changes. A failed fetch keeps
/// using the cached policy; with none, the domain is treated as having no policy (§5). <see cref="OutboundOptions.MtaStsPolicyUri"/>
/// replaces the HTTPS location in test labs.
/// </summary>
public sealed class MtaStsResolver : IDisposable
{
    private const int MaxPolicySize = 64 * 1024;
    private readonly IDnsResolver _dns;
    private readonly TimeProvider _clock;
    private readonly Func<string, Uri> _location;
    private readonly HttpClient _http;
    private readonly ConcurrentDictionary<string, (MtaStsPolicy Policy, DateTimeOffset Expires)> _cache = new(StringComparer.OrdinalIgnoreCase);

    public MtaStsResolver(IDnsResolver dns, TimeProvider clock, OutboundOptions options)
    {
        _dns = dns;
        _clock = clock;
        _location = options.MtaStsPolicyUri ?? (domain => new Uri($"https://mta-sts.{domain}/.well-known/mta-sts.txt"));
        _http = new HttpClient(options.MtaStsHttpHandler ?? new SocketsHttpHandler { AllowAutoRedirect = false }, disposeHandler: true)
        {
            Timeout = TimeSpan.FromSeconds(30),
            MaxResponseContentBufferSize = MaxPolicySize,
        };
    }

    /// <summary>The result of a lookup: the policy (null: none) and, when fetching failed, the RFC 8460 failure type and
    /// what went wrong in words (the HTTP status, the content type, the connection or certificate error).</summary>
    public sealed record Lookup(MtaStsPolicy? Policy, string? FetchFailure, string? FailureDetail = null);

    public async Task<Lookup> FindAsync(string domain, CancellationToken ct)
    {
        var now = _clock.GetUtcNow();
        _cache.TryGetValue(domain, out var cached);
        var txt = await _dns.TxtAsync("_mta-sts." + domain, ct);
        var records = MtaStsRecord.Among(txt.Records);
        if (txt.Status != DnsStatus.Ok || records.Count != 1 || MtaStsRecord.IdOf(records[0]) is not { } id)
        {
            // No valid record (or DNS trouble): a cached policy stays in force until it expires (§5.1). A record without a
            // valid id= is none (§3.1); it was fetched as if its id were empty.
            return cached.Policy is not null && cached.Expires > now ? new Lookup(cached.Policy, null) : new Lookup(null, null);
        }

        if (cached.Policy is not null && cached.Expires > now && cached.Policy.Id == id) return new Lookup(cached.Policy, null);
        try
        {
            using var response = await _http.GetAsync(_location(domain), ct);
            if (!response.IsSuccessStatusCode)
                return Fallback(cached, now, "sts-policy-fetch-error", $"the server answered HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            if (response.Content.Headers.ContentType?.MediaType is var type && type != "text/plain")
                return Fallback(cached, now, "sts-policy-fetch-error", $"the policy is served as {type ?? "no content type"}, not text/plain");
            var policy = MtaStsPolicy.Parse(id, await response.Content.ReadAsStringAsync(ct), out var reason);
            if (policy is null) return Fallback(cached, now, "sts-policy-invalid", $"the file is not a valid STSv1 policy: {reason}");
            _cache[domain] = (policy, now + policy.MaxAge);
            return new Lookup(policy, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return Fallback(cached, now, "sts-policy-fetch-error", Describe(e));
        }
    }

    private static Lookup Fallback((MtaStsPolicy Policy, DateTimeOffset Expires) cached, DateTimeOffset now, string failure, string detail) =>
        cached.Policy is not null && cached.Expires > now ? new Lookup(cached.Policy, null) : new Lookup(null, failure, detail);

    /// <summary>The innermost cause's words (a refused connection, a certificate not valid for the host), with the outer one's.</summary>
    private static string Describe(Exception e)
    {
        var inner = e;
        while (inner.InnerException is { } next) inner = next;
        return e is TaskCanceledException ? "no answer within 30 seconds" : e.Message.Contains(inner.Message, StringComparison.Ordinal) ? e.Message : $"{e.Message}: {inner.Message}";
    }

    public void Dispose() => _http.Dispose();
}
