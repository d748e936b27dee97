namespace Estafeta.MailAuth.Dkim;

/// <summary>A DKIM key record (RFC 6376 §3.6.1), as published in TXT at selector._domainkey.domain.</summary>
public sealed class DkimPublicKeyRecord
{
    private DkimPublicKeyRecord() { }

    /// <summary>k=, lowercased; "rsa" when absent.</summary>
    public required string KeyType { get; init; }
    /// <summary>p= decoded; empty when the key is revoked.</summary>
    public required byte[] PublicKey { get; init; }
    /// <summary>h= hash algorithms the key may be used with; empty means any.</summary>
    public required IReadOnlyList<string> HashAlgorithms { get; init; }
    /// <summary>s= service types; "*" when absent.</summary>
    public required IReadOnlyList<string> ServiceTypes { get; init; }
    /// <summary>t=y: the domain is testing DKIM.</summary>
    public bool Testing { get; init; }
    /// <summary>t=s: i= must use exactly d=, no subdomain.</summary>
    public bool Strict { get; init; }

    public bool IsRevoked => PublicKey.Length == 0;

    /// <summary>Whether the key may be used for email (s= includes "*" or "email").</summary>
    public bool AllowsEmail => ServiceTypes.Any(s => s is "*" || s.Equals("email", StringComparison.OrdinalIgnoreCase));

    public bool AllowsHash(string hash) =>
        HashAlgorithms.Count == 0 || HashAlgorithms.Contains(hash, StringComparer.OrdinalIgnoreCase);

    public static bool TryParse(string text, out DkimPublicKeyRecord? record, out string error)
    {
        record = null;
        if (!DkimTagList.TryParse(text, out var tags, out var tagError))
        {
            error = "key record: " + tagError;
            return false;
        }
        if (tags["v"] is { } version && version != "DKIM1")
        {
            error = $"key record has v={version}, not DKIM1";
            return false;
        }
        if (tags.Contains("v") && tags.Order[0] != "v")
        {
            error = "key record has v=DKIM1 after other tags; it must come first";
            return false;
        }
        if (tags.Compact("p") is not { } p)
        {
            error = "key record has no p=";
            return false;
        }
        if (!DkimSignature.TryDecodeBase64(p, out var publicKey))
        {
            error = "key record p= is not valid base64";
            return false;
        }
        record = new DkimPublicKeyRecord
        {
            KeyType = (tags["k"] ?? "rsa").ToLowerInvariant(),
            PublicKey = publicKey,
            HashAlgorithms = SplitList(tags["h"]),
            ServiceTypes = tags["s"] is { } s ? SplitList(s) : ["*"],
            Testing = SplitList(tags["t"]).Contains("y", StringComparer.OrdinalIgnoreCase),
            Strict = SplitList(tags["t"]).Contains("s", StringComparer.OrdinalIgnoreCase),
        };
        error = string.Empty;
        return true;
    }

    private static string[] SplitList(string? value) =>
        value is null ? [] : value.Split(':').Select(DkimTagList.Trim).Where(v => v.Length > 0).ToArray();
}
