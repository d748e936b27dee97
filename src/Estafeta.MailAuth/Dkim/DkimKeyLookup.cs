using Estafeta.MailAuth.Dns;

namespace Estafeta.MailAuth.Dkim;

/// <summary>The answer to "what is the key at selector._domainkey.domain": a record, or the status
/// and reason to report when there is none.</summary>
internal sealed record DkimKeyLookup(DkimPublicKeyCache.Entry? Key, DkimStatus Status, string Reason)
{
    /// <summary>Completes at once, without a state machine or allocation, when the resolver answers from
    /// its cache (a completed task) and the record is one the key cache holds.</summary>
    public static ValueTask<DkimKeyLookup> FetchAsync(IDnsResolver dns, string name, DkimPublicKeyCache cache, CancellationToken ct)
    {
        var pending = dns.TxtAsync(name, ct);
        return pending.IsCompletedSuccessfully ? new(Of(pending.Result, name, cache)) : Awaited(pending, name, cache);
    }

    private static async ValueTask<DkimKeyLookup> Awaited(Task<DnsAnswer<string>> pending, string name, DkimPublicKeyCache cache) =>
        Of(await pending.ConfigureAwait(false), name, cache);

    private static DkimKeyLookup Of(DnsAnswer<string> answer, string name, DkimPublicKeyCache cache)
    {
        switch (answer.Status)
        {
            case DnsStatus.TemporaryFailure:
                return new(null, DkimStatus.TempError, $"key lookup for {name} failed temporarily");
            case DnsStatus.NameError:
                return new(null, DkimStatus.PermError, $"no key for signature: {name} does not exist");
        }
        if (answer.Records.Count == 0) return new(null, DkimStatus.PermError, $"no key for signature: no TXT record at {name}");

        var firstError = string.Empty;
        foreach (var text in answer.Records)
        {
            if (cache.Parse(text, out var error) is { } key) return key.Found;
            if (firstError.Length == 0) firstError = error;
        }
        return new(null, DkimStatus.PermError, $"unusable key at {name}: {firstError}");
    }
}
