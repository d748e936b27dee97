using Estafeta.MailAuth.Dkim;
using Estafeta.MailAuth.Dmarc;
using Estafeta.MailAuth.Dns;
using MimeKit;

namespace Estafeta.MailAuth.Arc;

/// <summary>Validates the ARC chain of a received message (RFC 8617 §5.2). Thread-safe.</summary>
public sealed class ArcVerifier
{
    private readonly IDnsResolver dns;
    private readonly ArcVerifierOptions options;
    private readonly DkimPublicKeyCache keyCache = new();

    public ArcVerifier(IDnsResolver dns, ArcVerifierOptions? options = null)
    {
        this.dns = dns;
        this.options = options ?? ArcVerifierOptions.Default;
    }

    /// <summary>Validates the chain of a message in wire form (a bare LF counts as CRLF).</summary>
    public async Task<ArcResult> VerifyAsync(ReadOnlyMemory<byte> message, CancellationToken ct = default)
    {
        var wire = WireMessage.Parse(LineEnds.ToCrlf(message));
        if (!ArcChain.TryCollect(wire, out var sets, out var problem)) return Fail(problem, []);
        if (sets.Count == 0) return new ArcResult { Status = ArcStatus.None, Reason = "the message has no ARC sets" };

        var keys = new ArcKeys(dns, keyCache, options.MinimumRsaKeyBits, ct);
        var results = new ArcSetResult[sets.Count];
        for (var i = 0; i < sets.Count; i++)
        {
            var set = sets[i];
            ArcStatusKeywords.TryParse(set.SealTags["cv"], out var cv);
            AuthenticationResultsHeader.TryParseArc(ArcChain.Value(wire, set.Results), out var authenticationResults, out _);
            results[i] = new ArcSetResult(set.Instance, cv, set.SealTags["d"] ?? string.Empty, set.SealTags["s"] ?? string.Empty,
                set.SignatureTags["d"] ?? string.Empty, false, null, null, authenticationResults);
        }

        var newest = sets[^1];
        // Step 3 of §5.2: a chain whose newest seal already says fail stays failed.
        if (!ArcStatusKeywords.TryParse(newest.SealTags["cv"], out var newestCv) || newestCv == ArcStatus.Fail)
            return Fail($"ARC-Seal i={newest.Instance} has cv={newest.SealTags["cv"]}: the chain was already broken", results);
        for (var i = 0; i < sets.Count; i++)
        {
            var expected = i == 0 ? ArcStatus.None : ArcStatus.Pass;
            if (results[i].ChainValidation != expected || !ArcStatusKeywords.TryParse(sets[i].SealTags["cv"], out _))
                return Fail($"ARC-Seal i={sets[i].Instance} has cv={sets[i].SealTags["cv"]}, expected {expected.ToKeyword()}", results);
            if (sets[i].SealTags.Contains("h")) return Fail($"ARC-Seal i={sets[i].Instance} has an h= tag, which seals may not have", results);
        }

        // Step 4: the newest ARC-Message-Signature must verify.
        var (amsOk, amsProblem) = await VerifyMessageSignatureAsync(wire, newest, keys).ConfigureAwait(false);
        results[^1] = results[^1] with { MessageSignatureVerified = amsOk, Problem = amsOk ? null : amsProblem };
        if (!amsOk) return Fail($"ARC-Message-Signature i={newest.Instance} ({newest.SignatureTags["d"]}): {amsProblem}", results);

        int? oldestPass = null;
        if (options.FindOldestPass)
        {
            oldestPass = newest.Instance;
            for (var i = sets.Count - 2; i >= 0; i--)
            {
                var (ok, older) = await VerifyMessageSignatureAsync(wire, sets[i], keys).ConfigureAwait(false);
                results[i] = results[i] with { MessageSignatureVerified = ok, Problem = ok ? null : older };
                if (!ok) break;
                oldestPass = sets[i].Instance;
            }
        }

        // Step 5: every seal, newest first.
        for (var i = sets.Count - 1; i >= 0; i--)
        {
            var (sealOk, sealProblem) = await VerifySealAsync(wire, sets, i, keys).ConfigureAwait(false);
            results[i] = results[i] with { SealVerified = sealOk, Problem = sealOk ? results[i].Problem : sealProblem };
            if (!sealOk) return Fail($"ARC-Seal i={sets[i].Instance} ({sets[i].SealTags["d"]}): {sealProblem}", results);
        }

        return new ArcResult
        {
            Status = ArcStatus.Pass,
            Reason = $"{sets.Count} ARC set{(sets.Count == 1 ? "" : "s")} verified",
            Sets = results,
            OldestPass = oldestPass,
        };
    }

    public Task<ArcResult> VerifyAsync(MimeMessage message, CancellationToken ct = default) =>
        VerifyAsync(ArcWire.FromMimeMessage(message), ct);

    private static async Task<(bool, string)> VerifyMessageSignatureAsync(WireMessage wire, ArcSet set, ArcKeys keys)
    {
        var tags = set.SignatureTags;
        foreach (var required in new[] { "a", "b", "bh", "d", "h", "s" })
            if (!tags.Contains(required)) return (false, $"{required}= is missing");
        var signedHeaders = tags["h"]!.Split(':').Select(DkimTagList.Trim).ToArray();
        if (signedHeaders.Any(h => h.Equals("ARC-Seal", StringComparison.OrdinalIgnoreCase))) return (false, "h= includes ARC-Seal, which it may not");
        if (!TryCanonicalization(tags["c"], out var headerCanonicalization, out var bodyCanonicalization)) return (false, $"unsupported c={tags["c"]}");
        long? length = null;
        if (tags["l"] is { } l)
        {
            if (!long.TryParse(l, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var parsed)) return (false, $"l={l} is not a number");
            length = parsed;
        }
        if (!DkimSignature.TryDecodeBase64(tags.Compact("bh")!, out var expectedBodyHash)) return (false, "bh= is not valid base64");
        if (!ArcHashing.BodyHash(wire.Body, bodyCanonicalization, length).AsSpan().SequenceEqual(expectedBodyHash)) return (false, "body hash did not verify");
        var digest = ArcHashing.MessageSignatureDigest(wire, signedHeaders, headerCanonicalization, wire.FieldBytes(set.MessageSignature));
        return await keys.VerifyAsync(tags, digest).ConfigureAwait(false);
    }

    private static async Task<(bool, string)> VerifySealAsync(WireMessage wire, List<ArcSet> sets, int index, ArcKeys keys)
    {
        var earlier = new List<ReadOnlyMemory<byte>>();
        for (var i = 0; i <= index; i++)
        {
            earlier.Add(Field(wire, sets[i].Results));
            earlier.Add(Field(wire, sets[i].MessageSignature));
            if (i < index) earlier.Add(Field(wire, sets[i].Seal));
        }
        var digest = ArcHashing.SealDigest(earlier, wire.FieldBytes(sets[index].Seal));
        return await keys.VerifyAsync(sets[index].SealTags, digest).ConfigureAwait(false);
    }

    private static ReadOnlyMemory<byte> Field(WireMessage wire, HeaderField field) => wire.Bytes.Slice(field.Offset, field.Length);

    private static bool TryCanonicalization(string? value, out DkimCanonicalization header, out DkimCanonicalization body)
    {
        header = body = DkimCanonicalization.Simple;
        if (value is null) return true;
        var parts = value.Split('/').Select(p => DkimTagList.Trim(p).ToLowerInvariant()).ToArray();
        if (parts.Length > 2 || !TryOne(parts[0], out header)) return false;
        return parts.Length == 1 || TryOne(parts[1], out body);

        static bool TryOne(string name, out DkimCanonicalization canonicalization)
        {
            canonicalization = name == "relaxed" ? DkimCanonicalization.Relaxed : DkimCanonicalization.Simple;
            return name is "relaxed" or "simple";
        }
    }

    private static ArcResult Fail(string reason, IReadOnlyList<ArcSetResult> sets) => new() { Status = ArcStatus.Fail, Reason = reason, Sets = sets };
}
