namespace Estafeta.Mail.Outbound.MtaSts;

/// <summary>The <c>_mta-sts.DOMAIN</c> TXT record (RFC 8461 §3.1), read alike by the outbound MTA and by
/// <c>domain check</c>: only values that begin with <c>v=STSv1</c> and a <c>;</c> count (not <c>v=STSv10</c>), exactly one
/// of them must remain, and it must be <c>;</c>-delimited fields with an <c>id=</c> of 1 to 32 letters and digits and
/// extensions of the RFC's grammar; otherwise the domain has no policy.</summary>
internal static class MtaStsRecord
{
    private const string Version = "v=STSv1";

    /// <summary>The TXT values that are MTA-STS records.</summary>
    public static List<string> Among(IEnumerable<string> txt) => [.. txt.Where(IsRecord)];

    private static bool IsRecord(string value) =>
        value.StartsWith(Version, StringComparison.Ordinal) && value.AsSpan(Version.Length).TrimStart(" \t") is var rest && (rest.IsEmpty || rest[0] == ';');

    /// <summary>The record's id= (the first), or null when it has none that is valid or the record is not of the grammar.</summary>
    public static string? IdOf(string record)
    {
        var fields = record.Split(';');
        if (fields[0].Trim(' ', '\t') != Version) return null;
        string? id = null;
        for (var i = 1; i < fields.Length; i++)
        {
            var field = fields[i].Trim(' ', '\t');
            if (field.Length == 0 && i == fields.Length - 1 && i > 1) break; // a final ";"
            if (field.StartsWith("id=", StringComparison.Ordinal))
            {
                if (field[3..] is not { Length: > 0 and <= 32 } value || !value.All(char.IsAsciiLetterOrDigit)) return null;
                id ??= value;
            }
            else if (!IsExtension(field)) return null;
        }
        return id;
    }

    /// <summary>sts-extension: a name of a letter or digit and up to 31 more letters, digits, "_", "-" or "."; "="; a value
    /// of visible characters other than ";" and "=".</summary>
    private static bool IsExtension(string field)
    {
        var equals = field.IndexOf('=');
        if (equals is < 1 or > 32 || equals == field.Length - 1 || !char.IsAsciiLetterOrDigit(field[0])) return false;
        for (var i = 1; i < equals; i++)
            if (!char.IsAsciiLetterOrDigit(field[i]) && field[i] is not ('_' or '-' or '.')) return false;
        for (var i = equals + 1; i < field.Length; i++)
            if (field[i] is < '!' or > '~' or ';' or '=') return false;
        return true;
    }
}
