using System.Globalization;
using System.Text;
using Estafeta.MailAuth.Dns;
using MimeKit;

namespace Estafeta.MailAuth.Dkim;

/// <summary>Verifies every DKIM-Signature of a message (RFC 6376 §6, RFC 8301, RFC 8463) and
/// reports each in RFC 8601 terms. Keys are fetched through <see cref="IDnsResolver"/>, all at
/// once; body hashes are computed once per canonicalization and l=. Thread-safe.</summary>
public sealed class DkimVerifier
{
    private readonly IDnsResolver dns;
    private readonly TimeProvider clock;
    private readonly DkimVerifierOptions options;
    private readonly DkimPublicKeyCache keys = new();

    public DkimVerifier(IDnsResolver dns, TimeProvider? clock = null, DkimVerifierOptions? options = null)
    {
        this.dns = dns;
        this.clock = clock ?? TimeProvider.System;
        this.options = options ?? DkimVerifierOptions.Default;
    }

    /// <summary>One result per DKIM-Signature, top to bottom; a single <see cref="DkimResult.NotSigned"/>
    /// when there is none. A bare LF in the message is treated as CRLF. When every key is at hand (the
    /// resolver answered from its cache) the whole verification runs synchronously and returns a
    /// completed task.</summary>
    public Task<IReadOnlyList<DkimResult>> VerifyAsync(ReadOnlyMemory<byte> message, CancellationToken ct = default)
    {
        try
        {
            var wire = WireMessage.Parse(message);
            var count = 0;
            foreach (var header in wire.Fields)
                if (IsSignature(header)) count++;
            if (count == 0) return NotSigned;

            // Keys are fetched all at once, one lookup per distinct key name.
            var checks = new SignatureCheck[count];
            var names = new string[count];
            var lookups = new ValueTask<DkimKeyLookup>[count];
            var distinct = 0;
            var index = 0;
            var pending = false;
            foreach (var field in wire.Fields)
            {
                if (!IsSignature(field)) continue;
                var check = index < options.MaxSignatures
                    ? Prepare(wire, field)
                    : SignatureCheck.Decided(Describe(wire, field, DkimStatus.Neutral, FormattableString.Invariant($"not evaluated: more than {options.MaxSignatures} signatures")));
                if (check.Signature is { } signature)
                {
                    var lookup = distinct - 1;
                    while (lookup >= 0 && !names[lookup].Equals(signature.KeyName, StringComparison.OrdinalIgnoreCase)) lookup--;
                    if (lookup < 0)
                    {
                        lookup = distinct++;
                        names[lookup] = signature.KeyName;
                        lookups[lookup] = DkimKeyLookup.FetchAsync(dns, signature.KeyName, keys, ct);
                        pending |= !lookups[lookup].IsCompletedSuccessfully;
                    }
                    check.Lookup = lookup;
                }
                checks[index++] = check;
            }
            if (pending) return CompleteAsync(wire, checks, lookups, distinct);
            var keysFound = new DkimKeyLookup[distinct];
            for (var i = 0; i < distinct; i++) keysFound[i] = lookups[i].Result;
            return Task.FromResult<IReadOnlyList<DkimResult>>(Complete(wire, checks, keysFound));
        }
        catch (OperationCanceledException e) when (e.CancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<IReadOnlyList<DkimResult>>(e.CancellationToken);
        }
        catch (Exception e)
        {
            return Task.FromException<IReadOnlyList<DkimResult>>(e);
        }
    }

    private static readonly Task<IReadOnlyList<DkimResult>> NotSigned = Task.FromResult<IReadOnlyList<DkimResult>>([DkimResult.NotSigned]);

    private static bool IsSignature(HeaderField field) => field.Name.Equals("DKIM-Signature", StringComparison.OrdinalIgnoreCase);

    private async Task<IReadOnlyList<DkimResult>> CompleteAsync(WireMessage wire, SignatureCheck[] checks, ValueTask<DkimKeyLookup>[] lookups, int distinct)
    {
        var keysFound = new DkimKeyLookup[distinct];
        for (var i = 0; i < distinct; i++) keysFound[i] = await lookups[i].ConfigureAwait(false);
        return Complete(wire, checks, keysFound);
    }

    private DkimResult[] Complete(WireMessage wire, SignatureCheck[] checks, DkimKeyLookup[] keysFound)
    {
        List<BodyHash>? bodyHashes = null;
        var results = new DkimResult[checks.Length];
        for (var i = 0; i < checks.Length; i++)
        {
            var check = checks[i];
            results[i] = check.Result ?? Complete(wire, check.Field, check.Signature!, keysFound[check.Lookup], ref bodyHashes);
        }
        return results;
    }

    public async Task<IReadOnlyList<DkimResult>> VerifyAsync(Stream message, CancellationToken ct = default) =>
        await VerifyAsync(await WireBytes.ReadAllAsync(message, ct).ConfigureAwait(false), ct).ConfigureAwait(false);

    /// <summary>Verifies the message as <paramref name="format"/> writes it, with CRLF line ends.</summary>
    public Task<IReadOnlyList<DkimResult>> VerifyAsync(MimeMessage message, FormatOptions? format = null, CancellationToken ct = default) =>
        VerifyAsync(WireBytes.FromMimeMessage(message, format), ct);

    /// <summary>Parses the signature and applies the checks that need no key: syntax, algorithm, time.</summary>
    private SignatureCheck Prepare(WireMessage wire, HeaderField field)
    {
        // The common shape is read straight from the octets; anything else (including every malformed
        // signature) goes through the tag list, which words the reason.
        var signature = DkimSignature.ParseWellFormed(FieldValueBytes(wire, field));
        if (signature is null)
        {
            if (!DkimTagList.TryParse(FieldValue(wire, field), out var tags, out var tagError))
                return SignatureCheck.Decided(new DkimResult(DkimStatus.PermError, "malformed signature: " + tagError));
            if (!DkimSignature.TryParse(tags, out signature, out var error))
                return SignatureCheck.Decided(Describe(tags, DkimStatus.PermError, "malformed signature: " + error));
        }
        if (signature!.Algorithm == DkimAlgorithm.RsaSha1)
            return SignatureCheck.Decided(Describe(signature, DkimStatus.Policy, "rsa-sha1 is not accepted per RFC 8301"));

        var now = clock.GetUtcNow().ToUnixTimeSeconds();
        if (signature.Expiration is { } expiration && now > expiration)
            return SignatureCheck.Decided(Describe(signature, DkimStatus.Policy, $"signature expired at {Time(expiration)} per x="));
        if (signature.Timestamp is { } timestamp && options.FutureTimestampTolerance is { } tolerance
            && timestamp > now + (long)tolerance.TotalSeconds)
            return SignatureCheck.Decided(Describe(signature, DkimStatus.Policy, $"signature timestamp t= {Time(timestamp)} is in the future"));
        return new SignatureCheck(field, signature, null);
    }

    private DkimResult Complete(WireMessage wire, HeaderField field, DkimSignature signature, DkimKeyLookup lookup,
        ref List<BodyHash>? bodyHashes)
    {
        if (lookup.Key is not { } entry) return Describe(signature, lookup.Status, lookup.Reason);
        var result = CheckWithKey(wire, field, signature, entry, ref bodyHashes);
        if (!entry.Record.Testing) return result;
        return result.Status == DkimStatus.Fail
            ? result with { Status = DkimStatus.Neutral, Reason = result.Reason + "; ignored because the key is in testing mode, t=y", KeyTesting = true }
            : result with { Reason = result.Reason + "; the key is in testing mode, t=y", KeyTesting = true };
    }

    private DkimResult CheckWithKey(WireMessage wire, HeaderField field, DkimSignature signature, DkimPublicKeyCache.Entry entry,
        ref List<BodyHash>? bodyHashes)
    {
        var record = entry.Record;
        var keyName = signature.KeyName;
        if (record.IsRevoked) return Describe(signature, DkimStatus.PermError, $"key at {keyName} is revoked, empty p=");
        if (record.KeyType != signature.Algorithm.KeyType())
            return Describe(signature, DkimStatus.PermError, $"key at {keyName} has k={record.KeyType}, which a={signature.AlgorithmName} cannot use");
        if (!record.AllowsHash("sha256")) return Describe(signature, DkimStatus.PermError, $"key at {keyName} does not allow sha256 in h=");
        if (!record.AllowsEmail) return Describe(signature, DkimStatus.PermError, $"key at {keyName} is not for email, s=");
        if (record.Strict && !signature.IdentityDomain.Equals(signature.Domain, StringComparison.OrdinalIgnoreCase))
            return Describe(signature, DkimStatus.PermError, $"key at {keyName} has t=s and the i= domain is not exactly d=");

        var key = entry.Key(out var keyError);
        if (key is null) return Describe(signature, DkimStatus.PermError, $"unusable key at {keyName}: {keyError}");
        if (key is DkimPublicKey.Rsa rsa && rsa.KeySize < options.MinimumRsaKeyBits)
            return Describe(signature, DkimStatus.Policy, FormattableString.Invariant($"RSA key of {rsa.KeySize} bits is shorter than the {options.MinimumRsaKeyBits} bits RFC 8301 requires"));

        var limit = signature.BodyLength ?? long.MaxValue;
        BodyHash? body = null;
        if (bodyHashes is not null)
            foreach (var computed in bodyHashes)
                if (computed.Canonicalization == signature.BodyCanonicalization && computed.Limit == limit) body = computed;
        if (body is null)
        {
            var (hash, canonicalLength) = wire.HashBody(signature.BodyCanonicalization, limit);
            body = new BodyHash(signature.BodyCanonicalization, limit, hash, canonicalLength);
            (bodyHashes ??= new List<BodyHash>(1)).Add(body);
        }
        if (signature.BodyLength is { } length && length > body.Length)
            return Describe(signature, DkimStatus.Fail, FormattableString.Invariant($"l={length} is longer than the {body.Length}-octet body"));
        if (!body.Hash.AsSpan().SequenceEqual(signature.BodyHash)) return Describe(signature, DkimStatus.Fail, "body hash did not verify");

        var digest = HeaderSelection.HeaderDigest(wire, signature.SignedHeaderNames, signature.HeaderCanonicalization, wire.FieldBytes(field), removeSignatureValue: true);
        if (!key.VerifyDigest(digest, signature.SignatureData)) return Describe(signature, DkimStatus.Fail, "signature did not verify");

        var reason = "signature verified";
        if (signature.BodyLength is { } covered && covered < body.Length)
            reason += FormattableString.Invariant($"; l={covered} leaves {body.Length - covered} body octets unsigned");
        return Describe(signature, DkimStatus.Pass, reason);
    }

    /// <summary>The octets after the field's colon, through its final CRLF.</summary>
    private static ReadOnlyMemory<byte> FieldValueBytes(WireMessage wire, HeaderField field)
    {
        var colon = wire.FieldBytes(field).IndexOf((byte)':');
        return wire.Bytes.Slice(field.Offset + colon + 1, field.Length - colon - 1);
    }

    private static string FieldValue(WireMessage wire, HeaderField field)
    {
        var bytes = wire.FieldBytes(field);
        return Encoding.Latin1.GetString(bytes[(bytes.IndexOf((byte)':') + 1)..]);
    }

    private static DkimResult Describe(DkimSignature signature, DkimStatus status, string reason) =>
        new(status, reason, signature.Domain, signature.Selector, signature.HasIdentityTag ? signature.Identity : null,
            signature.AlgorithmName, signature.SignaturePrefix, BodyLength: signature.BodyLength);

    private static DkimResult Describe(DkimTagList tags, DkimStatus status, string reason) =>
        new(status, reason, tags["d"], tags["s"], tags["i"] is { } i ? DkimTagList.RemoveWhitespace(i) : null, tags["a"], tags.Compact("b"));

    private static DkimResult Describe(WireMessage wire, HeaderField field, DkimStatus status, string reason) =>
        DkimTagList.TryParse(FieldValue(wire, field), out var tags, out _) ? Describe(tags, status, reason) : new DkimResult(status, reason);

    private static string Time(long unixSeconds) =>
        DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(unixSeconds, 0, 253402300799)).ToString("u", CultureInfo.InvariantCulture);

    /// <summary>A body hash for one canonicalization and l=, shared by the signatures that use them.</summary>
    private sealed record BodyHash(DkimCanonicalization Canonicalization, long Limit, byte[] Hash, long Length);

    private struct SignatureCheck(HeaderField field, DkimSignature? signature, DkimResult? result)
    {
        public readonly HeaderField Field = field;
        public readonly DkimSignature? Signature = signature;
        public readonly DkimResult? Result = result;
        /// <summary>Which key lookup the signature waits for.</summary>
        public int Lookup = -1;

        public static SignatureCheck Decided(DkimResult result) => new(default, null, result);
    }
}
