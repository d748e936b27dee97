using Estafeta.MailAuth.Dns;

namespace Estafeta.MailAuth.Dkim;

/// <summary>The answer to "what is the key at selector._domainkey.domain": a record, or the status
/// and reason to report when there is none.</summary>
internal sealed record DkimKeyLookup(DkimPublicKeyCache.Entry? Key, DkimStatus Status, string Reason)
{
    public static async Task<DkimKeyLookup> FetchAsync(IDnsResolver dns, string name, DkimPublicKeyCache cache, CancellationToken ct)
    {
        var answer = await dns.TxtAsync(name, ct).ConfigureAwait(false);
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
            if (cache.Parse(text, out var error) is { } key) return new(key, DkimStatus.Pass, string.Empty);
            if (firstError.Length == 0) firstError = error;
        }
        return new(null, DkimStatus.PermError, $"unusable key at {name}: {firstError}");
    }
}
