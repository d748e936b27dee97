namespace Estafeta.MailAuth.TlsRpt;

/// <summary>The <c>_smtp._tls</c> TXT record of RFC 8460 §3: <c>v=TLSRPTv1; rua=mailto:reports@example.com</c>.</summary>
public sealed record TlsRptRecord(IReadOnlyList<string> ReportUris)
{
    public const string Version = "v=TLSRPTv1";

    /// <summary>The mailto: addresses among the rua= URIs, percent-decoded, without header fields (?subject=..., RFC 6068).</summary>
    public IReadOnlyList<string> MailtoAddresses => [.. ReportUris
        .Where(u => u.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        .Select(u => Uri.UnescapeDataString(u[7..].Split('?', 2)[0]).Trim())
        .Where(a => a.Contains('@', StringComparison.Ordinal))];

    /// <summary>The rua= URIs of a scheme RFC 8460 does not define (neither mailto: nor https:). The record is still
    /// valid (its grammar allows any URI) and a sender uses the others; <c>domain check</c> flags them.</summary>
    public IReadOnlyList<string> UnsupportedUris => [.. ReportUris
        .Where(u => !u.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) && !u.StartsWith("https:", StringComparison.OrdinalIgnoreCase))];

    /// <summary>The record a sending MTA uses among a domain's <c>_smtp._tls</c> TXT strings (RFC 8460 §3): the strings
    /// that start with v=TLSRPTv1 are its candidates, and unless there is exactly one and it is valid, the domain is
    /// taken not to implement TLS-RPT (null).</summary>
    public static TlsRptRecord? Select(IEnumerable<string> txt)
    {
        var candidates = txt.Where(LooksLikeTlsRpt).Take(2).ToList();
        return candidates.Count == 1 && TryParse(candidates[0], out var record, out _) ? record : null;
    }

    /// <summary>True for a TXT string a sender takes as a TLS-RPT record (it starts with v=TLSRPTv1;), §3.</summary>
    public static bool LooksLikeTlsRpt(string txt) =>
        txt.TrimStart().StartsWith(Version, StringComparison.Ordinal) && txt.TrimStart()[Version.Length..].TrimStart() is var rest && (rest.Length == 0 || rest[0] == ';');

    public static bool TryParse(string txt, out TlsRptRecord? record, out string error)
    {
        record = null;
        var fields = txt.Split(';', StringSplitOptions.TrimEntries);
        if (fields[0] != Version)
        {
            error = "the record does not start with v=TLSRPTv1";
            return false;
        }
        var uris = new List<string>();
        var seenRua = false;
        foreach (var field in fields.Skip(1).Where(f => f.Length > 0))
        {
            var eq = field.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = $"\"{field}\" is not a field (name=value)";
                return false;
            }
            var name = field[..eq].Trim();
            if (!name.Equals("rua", StringComparison.Ordinal)) continue;
            if (seenRua)
            {
                error = "rua= appears twice";
                return false;
            }
            seenRua = true;
            foreach (var uri in field[(eq + 1)..].Split(',', StringSplitOptions.TrimEntries))
            {
                if (!HasScheme(uri))
                {
                    error = $"rua {uri} is not a URI (it has no scheme such as mailto:)";
                    return false;
                }
                uris.Add(uri);
            }
        }
        if (uris.Count == 0)
        {
            error = "the record has no rua= (where reports go)";
            return false;
        }
        record = new TlsRptRecord(uris);
        error = string.Empty;
        return true;
    }

    /// <summary>scheme ":" with scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986 §3.1), and something after it.</summary>
    private static bool HasScheme(string uri)
    {
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0 || colon == uri.Length - 1 || !char.IsAsciiLetter(uri[0])) return false;
        foreach (var c in uri.AsSpan(1, colon - 1))
            if (!char.IsAsciiLetterOrDigit(c) && c is not ('+' or '-' or '.')) return false;
        return true;
    }
}
