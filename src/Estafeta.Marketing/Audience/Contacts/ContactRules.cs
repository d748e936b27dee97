using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>How the simple contact properties are checked and normalised before they are stored.</summary>
public static class ContactRules
{
    /// <summary>A BCP 47 language tag, lowercase with hyphens (<c>es</c>, <c>en-gb</c>); null for empty input.</summary>
    public static string? Language(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var tag = value.Trim().Replace('_', '-').ToLowerInvariant();
        if (tag.Length > 35 || !char.IsAsciiLetter(tag[0]) || !tag.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'))
        {
            throw new InvalidInputException($"'{value}' is not a language tag (es, en, es-mx)");
        }

        return tag;
    }

    /// <summary>An IANA time zone name known to this machine (<c>Europe/Madrid</c>); null for empty input.</summary>
    public static string? TimeZone(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var name = value.Trim();
        if (!TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone))
        {
            throw new InvalidInputException($"'{value}' is not a known time zone (Europe/Madrid, America/Mexico_City)");
        }

        return TimeZoneInfo.TryConvertWindowsIdToIanaId(zone.Id, out var iana) ? iana : zone.Id;
    }

    /// <summary>A tag: trimmed, at most 100 characters, case kept.</summary>
    public static string Tag(string value)
    {
        var tag = value.Trim();
        if (tag.Length is 0 or > 100) throw new InvalidInputException($"'{value}' is not a tag (1 to 100 characters)");
        return tag;
    }

    public static string? Name(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
