using System.Globalization;
using System.Text;
using Estafeta.MailAuth.Dkim;
using Estafeta.MailAuth.Dmarc;
using MimeKit;

namespace Estafeta.MailAuth.Arc;

/// <summary>Adds an ARC set when this server forwards a message (RFC 8617 §5.1): our
/// Authentication-Results as ARC-Authentication-Results, an ARC-Message-Signature over the message
/// as it leaves, and an ARC-Seal over the whole chain. Signs with rsa-sha256 or ed25519-sha256
/// (relaxed/relaxed). Thread-safe.</summary>
public sealed class ArcSealer
{
    private readonly DkimSigningKey key;
    private readonly string authservId;
    private readonly ArcSealerOptions options;
    private readonly TimeProvider clock;

    /// <param name="key">d=, s= and the private key; the key record is the DKIM one at s._domainkey.d.</param>
    /// <param name="authservId">Our authserv-id, as in our Authentication-Results fields.</param>
    public ArcSealer(DkimSigningKey key, string authservId, ArcSealerOptions? options = null, TimeProvider? clock = null)
    {
        this.key = key;
        this.authservId = authservId;
        this.options = options ?? ArcSealerOptions.Default;
        this.clock = clock ?? TimeProvider.System;
        if (!this.options.SignedHeaders.Contains("From", StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException("The ARC-Message-Signature must cover From.", nameof(options));
        if (this.options.SignedHeaders.Contains("ARC-Seal", StringComparer.OrdinalIgnoreCase))
            throw new ArgumentException("The ARC-Message-Signature may not cover ARC-Seal (RFC 8617 §4.1.2).", nameof(options));
    }

    /// <summary>Seals a message whose chain was validated as <paramref name="chain"/> (by
    /// <see cref="ArcVerifier"/>, on the message as received). <paramref name="results"/> are the
    /// results this server reached (spf, dkim, dmarc); arc= is added from the chain. Returns null
    /// with the reason when no set may be added: the newest seal already says cv=fail, or the
    /// chain is at its 50-instance limit.</summary>
    public ArcSeal? Seal(ReadOnlyMemory<byte> message, ArcResult chain, IEnumerable<AuthenticationResult> results, out string? refusal)
    {
        refusal = null;
        var wire = WireMessage.Parse(LineEnds.ToCrlf(message));
        ArcChain.TryCollect(wire, out var sets, out _);
        var instance = chain.Instances + 1;
        if (chain.Sets.Count > 0 && chain.Sets[^1].ChainValidation == ArcStatus.Fail)
        {
            refusal = $"the newest ARC-Seal (i={chain.Instances}) already has cv=fail; the chain is not continued";
            return null;
        }
        if (instance > ArcChain.MaxInstances)
        {
            refusal = $"the chain already has {chain.Instances} sets, the most RFC 8617 allows";
            return null;
        }
        var cv = chain.Status;
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var algorithm = key.Key.Algorithm.ToTagValue();
        var number = instance.ToString(CultureInfo.InvariantCulture);

        var arcResults = new AuthenticationResultsHeader
        {
            AuthservId = authservId,
            Instance = instance,
            Results = [.. results.Where(r => !r.Method.Equals("arc", StringComparison.OrdinalIgnoreCase)), chain.ToAuthenticationResult()],
        };
        var aar = "ARC-Authentication-Results: " + arcResults.ToValue() + "\r\n";

        var signedHeaders = options.SignedHeaders.Where(name => wire.Headers.Any(h => h.Name.Equals(name, StringComparison.OrdinalIgnoreCase)))
            .Select(name => name.ToLowerInvariant()).ToArray();
        if (signedHeaders.Length == 0)
        {
            // h= may not be empty: a message with none of these fields (not even the From every message must have)
            // has nothing for the ARC-Message-Signature to sign.
            refusal = $"the message has none of the header fields an ARC-Message-Signature signs ({string.Join(", ", options.SignedHeaders)})";
            return null;
        }
        var bodyHash = Convert.ToBase64String(ArcHashing.BodyHash(wire.Body, DkimCanonicalization.Relaxed, null));
        using var ams = new SignatureFieldWriter("ARC-Message-Signature");
        ams.Tag("i", number);
        ams.Tag("a", algorithm);
        ams.Tag("c", "relaxed/relaxed");
        ams.Tag("d", key.Domain);
        ams.Tag("s", key.Selector);
        ams.Tag("t", timestamp);
        ams.HeaderList(signedHeaders);
        ams.Tag("bh", bodyHash);
        var unsignedAms = Encoding.UTF8.GetBytes(ams.BeginSignature());
        var amsDigest = ArcHashing.MessageSignatureDigest(wire, signedHeaders, DkimCanonicalization.Relaxed, unsignedAms);
        var amsField = ams.EndSignature(key.Key.SignDigest(amsDigest));

        using var seal = new SignatureFieldWriter("ARC-Seal");
        seal.Tag("i", number);
        seal.Tag("a", algorithm);
        seal.Tag("t", timestamp);
        seal.Tag("cv", cv.ToKeyword());
        seal.Tag("d", key.Domain);
        seal.Tag("s", key.Selector);
        var unsignedSeal = Encoding.UTF8.GetBytes(seal.BeginSignature());
        var covered = new List<ReadOnlyMemory<byte>>();
        if (cv != ArcStatus.Fail)
        {
            // A failed chain is sealed over the new set alone (RFC 8617 §5.1.2); otherwise over every set.
            foreach (var set in sets)
            {
                covered.Add(Slice(wire, set.Results));
                covered.Add(Slice(wire, set.MessageSignature));
                covered.Add(Slice(wire, set.Seal));
            }
        }
        covered.Add(Encoding.UTF8.GetBytes(aar));
        covered.Add(Encoding.UTF8.GetBytes(amsField));
        var sealDigest = ArcHashing.SealDigest(covered, unsignedSeal);
        var sealField = seal.EndSignature(key.Key.SignDigest(sealDigest));
        return new ArcSeal(instance, cv, sealField, amsField, aar);
    }

    /// <summary>Seals and returns the message with the new set on top; the message itself when no
    /// set may be added.</summary>
    public byte[] SealAndPrepend(ReadOnlyMemory<byte> message, ArcResult chain, IEnumerable<AuthenticationResult> results)
    {
        message = LineEnds.ToCrlf(message);
        var arcSeal = Seal(message, chain, results, out _);
        return arcSeal is null ? message.ToArray() : [.. Encoding.UTF8.GetBytes(arcSeal.Fields), .. message.Span];
    }

    /// <summary>Seals a MimeMessage and inserts the three fields at the top of its header.</summary>
    public ArcSeal? Seal(MimeMessage message, ArcResult chain, IEnumerable<AuthenticationResult> results, out string? refusal)
    {
        var arcSeal = Seal(ArcWire.FromMimeMessage(message), chain, results, out refusal);
        if (arcSeal is null) return null;
        foreach (var field in new[] { arcSeal.AuthenticationResults, arcSeal.MessageSignature, arcSeal.Seal })
        {
            if (!Header.TryParse(Encoding.UTF8.GetBytes(field), out var header))
                throw new InvalidOperationException("MimeKit could not parse an ARC field this sealer wrote.");
            message.Headers.Insert(0, header);
        }
        return arcSeal;
    }

    private static ReadOnlyMemory<byte> Slice(WireMessage wire, HeaderField field) => wire.Bytes.Slice(field.Offset, field.Length);
}
