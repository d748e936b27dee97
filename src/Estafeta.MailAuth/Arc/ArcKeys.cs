using Estafeta.MailAuth.Dkim;
using Estafeta.MailAuth.Dns;

namespace Estafeta.MailAuth.Arc;

/// <summary>Fetches the public keys ARC signatures name (the DKIM key records at
/// selector._domainkey.domain), once per name per message; each record is parsed and its key imported
/// once per verifier (<paramref name="cache"/>), as for DKIM.</summary>
internal sealed class ArcKeys(IDnsResolver dns, DkimPublicKeyCache cache, int minimumRsaBits, CancellationToken ct)
{
    private readonly Dictionary<string, Task<(DkimPublicKeyCache.Entry? Entry, string Problem)>> lookups = new(StringComparer.OrdinalIgnoreCase);

    public async Task<(bool Verified, string Problem)> VerifyAsync(DkimTagList tags, byte[] digest)
    {
        var domain = tags["d"];
        var selector = tags["s"];
        var algorithmName = tags["a"];
        if (domain is null || selector is null || algorithmName is null) return (false, "d=, s= or a= is missing");
        if (!DkimAlgorithmNames.TryParse(algorithmName, out var algorithm) || algorithm == DkimAlgorithm.RsaSha1)
            return (false, $"algorithm a={algorithmName} is not accepted");
        if (!DkimSignature.TryDecodeBase64(tags.Compact("b") ?? string.Empty, out var signature) || signature.Length == 0)
            return (false, "b= is not valid base64");

        var name = DkimDnsRecord.Name(selector, domain);
        if (!lookups.TryGetValue(name, out var lookup))
        {
            lookup = FetchAsync(name);
            lookups[name] = lookup;
        }
        var (entry, problem) = await lookup.ConfigureAwait(false);
        if (entry is null) return (false, problem);
        var record = entry.Record;
        if (record.IsRevoked) return (false, $"key at {name} is revoked");
        if (record.KeyType != algorithm.KeyType()) return (false, $"key at {name} has k={record.KeyType}, which a={algorithmName} cannot use");
        var key = entry.Key(out var keyError);
        if (key is null) return (false, $"unusable key at {name}: {keyError}");
        if (key is DkimPublicKey.Rsa rsa && rsa.KeySize < minimumRsaBits) return (false, $"RSA key at {name} has only {rsa.KeySize} bits");
        return key.VerifyDigest(digest, signature) ? (true, string.Empty) : (false, "signature did not verify");
    }

    private async Task<(DkimPublicKeyCache.Entry? Entry, string Problem)> FetchAsync(string name)
    {
        var answer = await dns.TxtAsync(name, ct).ConfigureAwait(false);
        if (answer.Status == DnsStatus.TemporaryFailure) return (null, $"key lookup for {name} failed temporarily");
        var firstError = $"no key at {name}";
        foreach (var text in answer.Records)
        {
            if (cache.Parse(text, out var error) is { } entry) return (entry, string.Empty);
            firstError = $"unusable key at {name}: {error}";
        }
        return (null, firstError);
    }
}
