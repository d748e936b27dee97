using System.Globalization;
using Estafeta.MailAuth.Arc;
using Estafeta.MailAuth.Dkim;
using Estafeta.MailAuth.Dmarc;
using Estafeta.MailAuth.Dns;

namespace Estafeta.Mail.Authentication;

/// <summary>
/// Authentication added to a message as it is queued for remote delivery: DKIM-Signature fields
/// (rsa-sha256 and ed25519-sha256, relaxed/relaxed, signed fields over-signed) with the From domain's
/// active keys, and an ARC set when the MX forwards a received message through an alias. The fields are
/// computed over the content only, so the trace fields written above them stay outside the signatures.
/// </summary>
public sealed class OutboundSigning(DkimKeyStore keys, IDnsResolver dns, string authservId, TimeProvider clock)
{
    private readonly ArcVerifier _arc = new(dns);

    public DkimKeyStore Keys => keys;

    /// <summary>The DKIM-Signature fields (each ending in CRLF) for <paramref name="content"/>; empty when the
    /// From domain has no keys. <paramref name="selector"/> picks one key instead of the active pair.</summary>
    public async Task<string> DkimFieldsAsync(ReadOnlyMemory<byte> content, CancellationToken ct, string? domain = null, string? selector = null)
    {
        domain ??= MessageBytes.FromDomain(MessageBytes.Headers(content));
        if (domain is null) return "";
        IReadOnlyList<DkimSigningKey> signing;
        if (selector is null)
        {
            signing = await keys.SigningKeysAsync(domain, ct);
        }
        else
        {
            var key = (await keys.ListAsync(domain, ct)).FirstOrDefault(k => k.Selector.Equals(selector, StringComparison.OrdinalIgnoreCase));
            signing = key is null ? [] : [new DkimSigningKey(key.Domain, key.Selector, keys.PrivateKey(key))];
        }
        return signing.Count == 0 ? "" : new DkimSigner(signing, DkimSignerOptions.Default, clock).Sign(content);
    }

    /// <summary>The ARC set (ARC-Seal, ARC-Message-Signature, ARC-Authentication-Results) for a received message
    /// forwarded by <paramref name="forwardingDomain"/>, sealed with that domain's RSA key; empty when the domain
    /// has no key or the chain may not be continued. <paramref name="ourFields"/> are the header fields the
    /// inbound checks added (our Authentication-Results among them).</summary>
    public async Task<string> ArcFieldsAsync(ReadOnlyMemory<byte> content, IEnumerable<string> ourFields, string forwardingDomain, CancellationToken ct)
    {
        var key = (await keys.SigningKeysAsync(forwardingDomain, ct)).FirstOrDefault(k => k.Key.Algorithm == DkimAlgorithm.RsaSha256);
        if (key is null) return "";
        var chain = await _arc.VerifyAsync(content, ct);
        var results = new List<AuthenticationResult>();
        foreach (var field in ourFields)
        {
            const string prefix = AuthenticationResultsHeader.FieldName + ":";
            if (!field.StartsWith(prefix, true, CultureInfo.InvariantCulture)) continue;
            if (AuthenticationResultsHeader.TryParse(field[prefix.Length..], out var header, out _)) results.AddRange(header!.Results);
        }
        var seal = new ArcSealer(key, authservId, clock: clock).Seal(content, chain, results, out _);
        return seal?.Fields ?? "";
    }
}
