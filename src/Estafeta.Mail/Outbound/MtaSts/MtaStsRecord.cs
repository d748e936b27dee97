namespace Estafeta.Mail.Outbound.MtaSts;

/// <summary>The <c>_mta-sts.DOMAIN</c> TXT record (RFC 8461 §3.1), read alike by the outbound MTA and by
/// <c>domain check</c>: only values that begin with <c>v=STSv1</c> count, exactly one of them must remain, and its
/// <c>id=</c> must be 1 to 32 letters and digits; otherwise the domain has no policy.</summary>
internal static class MtaStsRecord
{
    /// <summary>The TXT values that are MTA-STS records.</summary>
    public static List<string> Among(IEnumerable<string> txt) => [.. txt.Where(r => r.StartsWith("v=STSv1", StringComparison.Ordinal))];

    /// <summary>The record's id=, or null when it has none that is valid.</summary>
    public static string? IdOf(string record)
    {
        foreach (var part in record.Split(';', StringSplitOptions.TrimEntries))
            if (part.StartsWith("id=", StringComparison.Ordinal))
                return part[3..] is { Length: > 0 and <= 32 } id && id.All(char.IsAsciiLetterOrDigit) ? id : null;
        return null;
    }
}
