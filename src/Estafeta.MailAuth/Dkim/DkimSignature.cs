using System.Globalization;

namespace Estafeta.MailAuth.Dkim;

/// <summary>A parsed, syntactically valid DKIM-Signature (RFC 6376 §3.5).</summary>
public sealed partial class DkimSignature
{
    private DkimTagList? tags;
    private string? identity;

    private DkimSignature(DkimTagList? tags) => this.tags = tags;

    /// <summary>The tag list, parsed from the field value on first use when the signature came through
    /// <see cref="ParseWellFormed"/> (which reads the value without building it).</summary>
    public DkimTagList Tags => tags ??= TagsOfValue();
    public required DkimAlgorithm Algorithm { get; init; }
    /// <summary>a= as written.</summary>
    public required string AlgorithmName { get; init; }
    public required byte[] SignatureData { get; init; }
    /// <summary>b= without whitespace. A signature read from the octets (<see cref="ParseWellFormed"/>) builds it on first
    /// use: verifying needs only <see cref="SignatureData"/> and <see cref="SignaturePrefix"/>.</summary>
    public string SignatureBase64
    {
        get => signatureBase64 ??= Tags.Compact("b") ?? "";
        init => signatureBase64 = value;
    }

    private string? signatureBase64;

    /// <summary>The first 8 characters of b= (RFC 6008 header.b, what a result names the signature by).</summary>
    public required string SignaturePrefix { get; init; }
    public required byte[] BodyHash { get; init; }
    public required DkimCanonicalization HeaderCanonicalization { get; init; }
    public required DkimCanonicalization BodyCanonicalization { get; init; }
    public required string Domain { get; init; }
    public required string Selector { get; init; }
    /// <summary>h= names in order, repeats included. A read-only view: the array behind it may be shared by the
    /// signatures of other messages with the same h= (see <see cref="HeaderNames"/>).</summary>
    public IReadOnlyList<string> SignedHeaders => Array.AsReadOnly(SignedHeaderNames);
    internal string[] SignedHeaderNames { get; private init; } = [];
    /// <summary>i=, or "@" + d= when absent.</summary>
    public string Identity => identity ??= "@" + Domain;
    /// <summary>Whether the signature has an i= tag.</summary>
    public bool HasIdentityTag { get; private init; }
    public long? BodyLength { get; init; }
    public long? Timestamp { get; init; }
    public long? Expiration { get; init; }

    /// <summary>The domain part of <see cref="Identity"/>.</summary>
    public string IdentityDomain => Identity[(Identity.LastIndexOf('@') + 1)..];

    /// <summary>Where the key is published: <c>selector._domainkey.domain</c>.</summary>
    public string KeyName => keyName ??= DkimDnsRecord.Name(Selector, Domain);

    private string? keyName;

    public static bool TryParse(DkimTagList tags, out DkimSignature? signature, out string error)
    {
        signature = null;
        // One pass over the tags instead of a search for each name.
        string? v = null, a = null, b = null, bh = null, c = null, d = null, h = null, i = null, l = null, q = null, s = null, t = null, x = null;
        for (var n = 0; n < tags.Count; n++)
        {
            var value = tags.ValueAt(n);
            switch (tags.NameAt(n))
            {
                case "v": v = value; break;
                case "a": a = value; break;
                case "b": b = value; break;
                case "bh": bh = value; break;
                case "c": c = value; break;
                case "d": d = value; break;
                case "h": h = value; break;
                case "i": i = value; break;
                case "l": l = value; break;
                case "q": q = value; break;
                case "s": s = value; break;
                case "t": t = value; break;
                case "x": x = value; break;
            }
        }
        if (v is not { } version) return Fail("v= is missing", out error);
        if (version != "1") return Fail($"unsupported version v={version}", out error);
        if (a is null) return Fail("a= is missing", out error);
        if (b is null) return Fail("b= is missing", out error);
        if (bh is null) return Fail("bh= is missing", out error);
        if (d is null) return Fail("d= is missing", out error);
        if (h is null) return Fail("h= is missing", out error);
        if (s is null) return Fail("s= is missing", out error);

        var algorithmName = a;
        if (!DkimAlgorithmNames.TryParse(algorithmName, out var algorithm)) return Fail($"unsupported algorithm a={algorithmName}", out error);
        var signatureBase64 = DkimTagList.RemoveWhitespace(b);
        if (!TryDecodeBase64(signatureBase64, out var signatureData) || signatureData.Length == 0) return Fail("b= is not valid base64", out error);
        if (!TryDecodeBase64(DkimTagList.RemoveWhitespace(bh), out var bodyHash) || bodyHash.Length == 0) return Fail("bh= is not valid base64", out error);
        if (!TryParseCanonicalization(c, out var headerCanonicalization, out var bodyCanonicalization))
            return Fail($"unsupported canonicalization c={c}", out error);

        var domain = d;
        if (!IsDomainName(domain)) return Fail($"d={domain} is not a domain name", out error);
        var selector = s;
        if (!IsDomainName(selector)) return Fail($"s={selector} is not a valid selector", out error);

        var signedHeaders = SplitHeaderNames(h);
        var signsFrom = false;
        foreach (var name in signedHeaders)
        {
            if (name.Length == 0) return Fail("h= contains an empty header name", out error);
            signsFrom |= name.Equals("from", StringComparison.OrdinalIgnoreCase);
        }
        if (!signsFrom) return Fail("h= does not include From", out error);

        var identity = i is not null ? DkimTagList.RemoveWhitespace(i) : "@" + domain;
        var at = identity.LastIndexOf('@');
        if (at < 0) return Fail($"i={identity} has no @", out error);
        if (!IsWithin(identity.AsSpan(at + 1), domain))
            return Fail($"i= domain {identity[(at + 1)..]} is not d={domain} or a subdomain of it", out error);

        if (q is { } query && !query.Split(':').Select(DkimTagList.Trim).Contains("dns/txt", StringComparer.OrdinalIgnoreCase))
            return Fail($"unsupported query method q={query}", out error);

        if (!TryParseNumber(l, out var bodyLength)) return Fail($"l={l} is not a number", out error);
        if (!TryParseNumber(t, out var timestamp)) return Fail($"t={t} is not a number", out error);
        if (!TryParseNumber(x, out var expiration)) return Fail($"x={x} is not a number", out error);
        if (timestamp is not null && expiration is not null && expiration < timestamp)
            return Fail(FormattableString.Invariant($"x={expiration} is earlier than t={timestamp}"), out error);

        signature = new DkimSignature(tags)
        {
            Algorithm = algorithm,
            AlgorithmName = algorithmName,
            SignatureData = signatureData,
            SignatureBase64 = signatureBase64,
            SignaturePrefix = signatureBase64.Length <= 8 ? signatureBase64 : signatureBase64[..8],
            BodyHash = bodyHash,
            HeaderCanonicalization = headerCanonicalization,
            BodyCanonicalization = bodyCanonicalization,
            Domain = domain,
            Selector = selector,
            SignedHeaderNames = signedHeaders,
            identity = identity,
            HasIdentityTag = i is not null,
            BodyLength = bodyLength,
            Timestamp = timestamp,
            Expiration = expiration,
        };
        error = string.Empty;
        return true;
    }

    /// <summary>Whether an i= domain is d= or a subdomain of it (RFC 6376 §3.5, i=).</summary>
    private static bool IsWithin(ReadOnlySpan<char> identityDomain, string domain) =>
        identityDomain.Equals(domain, StringComparison.OrdinalIgnoreCase)
        || (identityDomain.Length > domain.Length && identityDomain[^(domain.Length + 1)] == '.'
            && identityDomain[^domain.Length..].Equals(domain, StringComparison.OrdinalIgnoreCase));

    private static bool Fail(string reason, out string error)
    {
        error = reason;
        return false;
    }

    private static bool TryParseCanonicalization(string? value, out DkimCanonicalization header, out DkimCanonicalization body)
    {
        header = body = DkimCanonicalization.Simple;
        if (value is null) return true;
        var text = value.AsSpan();
        var slash = text.IndexOf('/');
        if (slash < 0) return TryParseCanonicalization(text, out header);
        return TryParseCanonicalization(text[..slash], out header) && TryParseCanonicalization(text[(slash + 1)..], out body);
    }

    private static bool TryParseCanonicalization(ReadOnlySpan<char> value, out DkimCanonicalization canonicalization)
    {
        value = value.Trim(" \t\r\n");
        canonicalization = value.Equals("relaxed", StringComparison.OrdinalIgnoreCase) ? DkimCanonicalization.Relaxed : DkimCanonicalization.Simple;
        return canonicalization == DkimCanonicalization.Relaxed || value.Equals("simple", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>h= split at colons, each name trimmed of folding whitespace (an empty name stays empty,
    /// for the caller to refuse).</summary>
    internal static string[] SplitHeaderNames(string value)
    {
        var names = new string[value.AsSpan().Count(':') + 1];
        var rest = value.AsSpan();
        for (var n = 0; n < names.Length; n++)
        {
            var colon = rest.IndexOf(':');
            var name = DkimTagList.TrimFoldingWhitespace(colon < 0 ? rest : rest[..colon]);
            names[n] = name.ToString();
            if (colon >= 0) rest = rest[(colon + 1)..];
        }
        return names;
    }

    private static bool TryParseNumber(string? value, out long? number)
    {
        number = null;
        if (value is null) return true;
        if (value.Length == 0 || value.AsSpan().ContainsAnyExceptInRange('0', '9')) return false;
        // Values beyond long (RFC 6376 allows up to 12 or 76 digits) are clamped: they only matter
        // as "very far in the future" or "longer than any body".
        number = long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) ? parsed : long.MaxValue;
        return true;
    }

    internal static bool TryDecodeBase64(string value, out byte[] bytes) => TryDecodeBase64(value.AsSpan(), out bytes);

    internal static bool TryDecodeBase64(ReadOnlySpan<char> value, out byte[] bytes)
    {
        bytes = [];
        // Without whitespace (values come through Compact), the length of valid input tells the decoded length.
        var padding = value.EndsWith("==") ? 2 : value.EndsWith('=') ? 1 : 0;
        var exact = value.Length % 4 == 0 && !value.ContainsAny(" \t\r\n") ? value.Length / 4 * 3 - padding : -1;
        var buffer = new byte[exact >= 0 ? exact : value.Length * 3 / 4 + 3];
        if (!Convert.TryFromBase64Chars(value, buffer, out var written)) return false;
        bytes = written == buffer.Length ? buffer : buffer[..written];
        return true;
    }

    internal static bool IsDomainName(string value)
    {
        if (value.Length == 0 || value.Length > 253 || value[0] == '.' || value[^1] == '.' || value.Contains("..", StringComparison.Ordinal)) return false;
        foreach (var c in value)
            if (!char.IsAsciiLetterOrDigit(c) && c is not '-' and not '.' and not '_') return false;
        return true;
    }
}
