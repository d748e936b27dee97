namespace Estafeta.MailAuth.TlsRpt;

/// <summary>The <c>_smtp._tls</c> TXT record of RFC 8460 §3: <c>v=TLSRPTv1; rua=mailto:reports@example.com</c>.</summary>
public sealed record TlsRptRecord(IReadOnlyList<string> ReportUris)
{
    public const string Version = "v=TLSRPTv1";

    /// <summary>The mailto: addresses among the rua= URIs, percent-decoded.</summary>
    public IReadOnlyList<string> MailtoAddresses => [.. ReportUris
        .Where(u => u.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
        .Select(u => Uri.UnescapeDataString(u[7..]).Trim())
        .Where(a => a.Contains('@', StringComparison.Ordinal))];

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
                if (!uri.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) && !uri.StartsWith("https:", StringComparison.OrdinalIgnoreCase))
                {
                    error = $"rua {uri} is neither a mailto: nor an https: URI";
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
}
