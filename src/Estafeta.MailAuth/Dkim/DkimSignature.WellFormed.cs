using System.Buffers;
using System.Text;

namespace Estafeta.MailAuth.Dkim;

/// <summary>The verifier's fast path: a DKIM-Signature value read straight from the message's octets,
/// without the <see cref="DkimTagList"/> and the string per tag that <see cref="TryParse"/> works from.
/// It accepts only what <see cref="DkimTagList.TryParse"/> followed by <see cref="TryParse"/> accepts,
/// with the same values, and only in the forms signers write (a= and c= in lower case, q=dns/txt,
/// numbers that fit a long, at most eight tags of unknown names). Anything else, valid or not, returns
/// null, and the caller parses the value the long way, which then gives the verdict and, for a signature
/// that is malformed, the reason. So errors are worded in one place only.</summary>
public sealed partial class DkimSignature
{
    /// <summary>The field value (after the colon) this signature was read from, when it came through
    /// <see cref="ParseWellFormed"/>: <see cref="Tags"/> is built from it on demand.</summary>
    private ReadOnlyMemory<byte> source;

    private static readonly SearchValues<byte> FoldingWhitespace = SearchValues.Create(" \t\r\n"u8);

    // Bits of the tags that have a meaning in a signature, to see each at most once.
    private const int TagV = 1, TagA = 2, TagB = 4, TagBh = 8, TagC = 16, TagD = 32, TagH = 64, TagI = 128,
        TagL = 256, TagQ = 512, TagS = 1024, TagT = 2048, TagX = 4096;

    private const int MaxUnknownTags = 8;

    /// <summary>The signature in <paramref name="value"/> (a DKIM-Signature field's value, the octets
    /// after the colon), or null when it is not in the common well-formed shape described on this part
    /// of the class: then <see cref="DkimTagList.TryParse"/> and <see cref="TryParse"/> decide.
    /// The signature keeps <paramref name="value"/> for <see cref="Tags"/>.</summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    internal static DkimSignature? ParseWellFormed(ReadOnlyMemory<byte> value)
    {
        var text = value.Span;
        Range v = default, a = default, b = default, bh = default, c = default, d = default, h = default, i = default,
            l = default, q = default, s = default, t = default, x = default;
        var seen = 0;
        Span<Range> unknown = stackalloc Range[MaxUnknownTags];
        var unknownCount = 0;
        var position = 0;
        while (position <= text.Length)
        {
            var end = text[position..].IndexOf((byte)';');
            end = end < 0 ? text.Length : position + end;
            var specStart = position;
            position = end + 1;
            var spec = text[specStart..end];
            if (spec.IndexOfAnyExcept(FoldingWhitespace) < 0) continue;
            var equals = spec.IndexOf((byte)'=');
            if (equals < 0) return null;
            var name = Trim(text, specStart, specStart + equals);
            var tagValue = Trim(text, specStart + equals + 1, end);
            var nameBytes = text[name];
            if (!IsTagName(nameBytes)) return null;
            var bit = nameBytes.Length switch
            {
                1 => nameBytes[0] switch
                {
                    (byte)'v' => TagV, (byte)'a' => TagA, (byte)'b' => TagB, (byte)'c' => TagC, (byte)'d' => TagD,
                    (byte)'h' => TagH, (byte)'i' => TagI, (byte)'l' => TagL, (byte)'q' => TagQ, (byte)'s' => TagS,
                    (byte)'t' => TagT, (byte)'x' => TagX, _ => 0,
                },
                2 when nameBytes[0] == (byte)'b' && nameBytes[1] == (byte)'h' => TagBh,
                _ => 0,
            };
            if (bit == 0)
            {
                // A tag without meaning here; still a duplicate of one makes the list malformed.
                foreach (var other in unknown[..unknownCount])
                    if (text[other].SequenceEqual(nameBytes)) return null;
                if (unknownCount == MaxUnknownTags) return null;
                unknown[unknownCount++] = name;
                continue;
            }
            if ((seen & bit) != 0) return null;
            seen |= bit;
            switch (bit)
            {
                case TagV: v = tagValue; break;
                case TagA: a = tagValue; break;
                case TagB: b = tagValue; break;
                case TagBh: bh = tagValue; break;
                case TagC: c = tagValue; break;
                case TagD: d = tagValue; break;
                case TagH: h = tagValue; break;
                case TagI: i = tagValue; break;
                case TagL: l = tagValue; break;
                case TagQ: q = tagValue; break;
                case TagS: s = tagValue; break;
                case TagT: t = tagValue; break;
                case TagX: x = tagValue; break;
            }
        }
        const int required = TagV | TagA | TagB | TagBh | TagD | TagH | TagS;
        if ((seen & required) != required || !text[v].SequenceEqual("1"u8)) return null;

        DkimAlgorithm algorithm;
        string algorithmName;
        if (text[a].SequenceEqual("rsa-sha256"u8)) (algorithm, algorithmName) = (DkimAlgorithm.RsaSha256, "rsa-sha256");
        else if (text[a].SequenceEqual("ed25519-sha256"u8)) (algorithm, algorithmName) = (DkimAlgorithm.Ed25519Sha256, "ed25519-sha256");
        else if (text[a].SequenceEqual("rsa-sha1"u8)) (algorithm, algorithmName) = (DkimAlgorithm.RsaSha1, "rsa-sha1");
        else return null;

        // b= and bh= are decoded from their octets, less folding whitespace, by the vectorised UTF-8 decoder.
        if (text[b].Length > MaxCompactedLength || text[bh].Length > MaxCompactedLength) return null;
        Span<byte> compact = stackalloc byte[MaxCompactedLength];
        var signatureLength = CompactOctets(text[b], compact);
        var signatureData = DecodeBase64(compact[..signatureLength]);
        if (signatureData is null) return null;
        var signaturePrefix = Encoding.Latin1.GetString(compact[..Math.Min(8, signatureLength)]);
        var bodyHash = DecodeBase64(compact[..CompactOctets(text[bh], compact)]);
        if (bodyHash is null) return null;

        var (headerCanonicalization, bodyCanonicalization) = (DkimCanonicalization.Simple, DkimCanonicalization.Simple);
        if ((seen & TagC) != 0)
        {
            var canonicalization = text[c];
            if (canonicalization.SequenceEqual("relaxed/relaxed"u8)) (headerCanonicalization, bodyCanonicalization) = (DkimCanonicalization.Relaxed, DkimCanonicalization.Relaxed);
            else if (canonicalization.SequenceEqual("relaxed/simple"u8) || canonicalization.SequenceEqual("relaxed"u8)) headerCanonicalization = DkimCanonicalization.Relaxed;
            else if (canonicalization.SequenceEqual("simple/relaxed"u8)) bodyCanonicalization = DkimCanonicalization.Relaxed;
            else if (!canonicalization.SequenceEqual("simple/simple"u8) && !canonicalization.SequenceEqual("simple"u8)) return null;
        }

        var domain = Encoding.Latin1.GetString(text[d]);
        if (!IsDomainName(domain)) return null;
        var selector = Encoding.Latin1.GetString(text[s]);
        if (!IsDomainName(selector)) return null;

        var signedHeaders = HeaderNames(text[h]);
        if (signedHeaders is null) return null;

        string? identity = null;
        if ((seen & TagI) != 0)
        {
            identity = CompactString(text[i]);
            if (identity is null) return null;
            var at = identity.LastIndexOf('@');
            if (at < 0 || !IsWithin(identity.AsSpan(at + 1), domain)) return null;
        }

        if ((seen & TagQ) != 0 && !text[q].SequenceEqual("dns/txt"u8)) return null;
        long? bodyLength = null, timestamp = null, expiration = null;
        if ((seen & TagL) != 0 && (bodyLength = Number(text[l])) is null) return null;
        if ((seen & TagT) != 0 && (timestamp = Number(text[t])) is null) return null;
        if ((seen & TagX) != 0 && (expiration = Number(text[x])) is null) return null;
        if (timestamp is not null && expiration is not null && expiration < timestamp) return null;

        return new DkimSignature(null)
        {
            source = value,
            Algorithm = algorithm,
            AlgorithmName = algorithmName,
            SignatureData = signatureData,
            SignaturePrefix = signaturePrefix,
            BodyHash = bodyHash,
            HeaderCanonicalization = headerCanonicalization,
            BodyCanonicalization = bodyCanonicalization,
            Domain = domain,
            Selector = selector,
            SignedHeaderNames = signedHeaders,
            identity = identity,
            HasIdentityTag = identity is not null,
            BodyLength = bodyLength,
            Timestamp = timestamp,
            Expiration = expiration,
        };
    }

    /// <summary>The tag list of a signature read by <see cref="ParseWellFormed"/>, which accepts only
    /// values this parse accepts too.</summary>
    private DkimTagList TagsOfValue()
    {
        if (!DkimTagList.TryParse(Encoding.Latin1.GetString(source.Span), out var list, out var error))
            throw new InvalidOperationException("A DKIM-Signature accepted as well-formed has a tag list that does not parse: " + error);
        return list;
    }

    private static Range Trim(ReadOnlySpan<byte> text, int start, int end)
    {
        while (start < end && FoldingWhitespace.Contains(text[start])) start++;
        while (end > start && FoldingWhitespace.Contains(text[end - 1])) end--;
        return start..end;
    }

    private static bool IsTagName(ReadOnlySpan<byte> name)
    {
        if (name.Length == 0 || !char.IsAsciiLetter((char)name[0])) return false;
        foreach (var octet in name)
            if (!char.IsAsciiLetterOrDigit((char)octet) && octet != (byte)'_') return false;
        return true;
    }

    /// <summary>The longest b=, bh= or i= value (folding whitespace included) read here; longer ones are left to the
    /// tag list. An 8192-bit RSA signature in base64 is 1,368 characters.</summary>
    private const int MaxCompactedLength = 4096;

    /// <summary>Copies the value's octets less folding whitespace; the count written. The destination holds
    /// at least as many octets as the value.</summary>
    private static int CompactOctets(ReadOnlySpan<byte> value, Span<byte> destination)
    {
        var length = 0;
        while (true)
        {
            var next = value.IndexOfAny(FoldingWhitespace);
            var run = next < 0 ? value : value[..next];
            run.CopyTo(destination[length..]);
            length += run.Length;
            if (next < 0) return length;
            // A fold is CRLF and a tab or space: skipped at once, not one search per octet.
            next++;
            while (next < value.Length && FoldingWhitespace.Contains(value[next])) next++;
            value = value[next..];
        }
    }

    /// <summary>The octets of base64 text without whitespace; null when it is not valid base64 (with
    /// its padding, as <see cref="TryDecodeBase64(ReadOnlySpan{char}, out byte[])"/> requires) or decodes to nothing.</summary>
    private static byte[]? DecodeBase64(ReadOnlySpan<byte> base64)
    {
        if (base64.IsEmpty || base64.Length % 4 != 0) return null;
        var padding = base64[^1] != (byte)'=' ? 0 : base64[^2] == (byte)'=' ? 2 : 1;
        var bytes = new byte[base64.Length / 4 * 3 - padding];
        if (bytes.Length == 0) return null;
        var status = System.Buffers.Text.Base64.DecodeFromUtf8(base64, bytes, out var consumed, out var written);
        return status == OperationStatus.Done && consumed == base64.Length && written == bytes.Length ? bytes : null;
    }

    /// <summary>The value without folding whitespace, as a string of its octets (Latin-1, as the tag list
    /// reads them); null when it is too long to be a value of a tag this path reads.</summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    private static string? CompactString(ReadOnlySpan<byte> value)
    {
        if (value.Length > MaxCompactedLength) return null;
        Span<byte> compact = stackalloc byte[value.Length];
        return Encoding.Latin1.GetString(compact[..CompactOctets(value, compact)]);
    }

    /// <summary>h= split at colons and trimmed, names shared where common; null when a name is empty or
    /// none is From.</summary>
    private static string[]? HeaderNames(ReadOnlySpan<byte> value)
    {
        // A verifier meets the same few h= values over and over (each sender's software signs the same fields
        // in the same order): the names of the last eight h= values read on this thread serve again when the
        // octets are the same, so the strings are not looked up again for every message.
        var recent = recentHeaderLists ??= new HeaderList[RecentHeaderLists];
        foreach (var list in recent)
            if (list is not null && list.Octets.Length == value.Length && value.SequenceEqual(list.Octets)) return list.Names;
        var names = ReadHeaderNames(value);
        if (names is not null && value.Length <= 1024)
        {
            recent[nextRecentHeaderList] = new HeaderList(value.ToArray(), names);
            nextRecentHeaderList = (nextRecentHeaderList + 1) % RecentHeaderLists;
        }
        return names;
    }

    private const int RecentHeaderLists = 8;

    /// <summary>An h= value's octets and the names read from them (never changed once made).</summary>
    private sealed record HeaderList(byte[] Octets, string[] Names);

    [ThreadStatic] private static HeaderList?[]? recentHeaderLists;
    [ThreadStatic] private static int nextRecentHeaderList;

    private static string[]? ReadHeaderNames(ReadOnlySpan<byte> value)
    {
        var names = new string[value.Count((byte)':') + 1];
        var signsFrom = false;
        ReadOnlySpan<byte> previous = default;
        for (var n = 0; n < names.Length; n++)
        {
            var colon = value.IndexOf((byte)':');
            var piece = colon < 0 ? value : value[..colon];
            var name = piece[Trim(piece, 0, piece.Length)];
            if (name.IsEmpty) return null;
            // Over-signing repeats each name: the string of the one before serves again.
            names[n] = n > 0 && name.SequenceEqual(previous) ? names[n - 1] : FieldNames.Of(name);
            signsFrom = signsFrom || names[n].Equals("from", StringComparison.OrdinalIgnoreCase);
            previous = name;
            if (colon >= 0) value = value[(colon + 1)..];
        }
        return signsFrom ? names : null;
    }

    /// <summary>A number of up to 18 digits (any longer, or anything else, is left to the long path).</summary>
    private static long? Number(ReadOnlySpan<byte> digits)
    {
        if (digits.Length is 0 or > 18) return null;
        long number = 0;
        foreach (var digit in digits)
        {
            if (digit is < (byte)'0' or > (byte)'9') return null;
            number = number * 10 + (digit - '0');
        }
        return number;
    }
}
