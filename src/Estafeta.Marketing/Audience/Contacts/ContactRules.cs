using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>How the simple contact properties are checked and normalised before they are stored.</summary>
public static class ContactRules
{
    /// <summary>A BCP 47 language tag, lowercase with hyphens (<c>es</c>, <c>en-gb</c>), also from a language's name
    /// (<c>Español</c> → <c>es</c>; <see cref="LanguageTags"/>); null for empty input.</summary>
    public static string? Language(string? value) => LanguageTags.Parse(value);

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

    /// <summary>A tag: trimmed, in Unicode NFC, at most 100 characters, case kept. Tags that differ only in case are one
    /// tag (<see cref="CaseFold"/>).</summary>
    public static string Tag(string value)
    {
        var tag = CaseFold.Nfc(value.Trim());
        if (tag.Length is 0 or > 100) throw new InvalidInputException($"'{value}' is not a tag (1 to 100 characters)");
        // They separate the tags of one cell in imported files (and exports write them so): such a tag could not come back.
        StorableText.Checked(tag, "a tag");
        if (tag.AsSpan().IndexOfAny(";,|") >= 0) throw new InvalidInputException($"'{value}' is not a tag: a tag may not hold ; , or |, which separate tags in imported files");
        return tag;
    }

    /// <summary>The longest name kept, in characters.</summary>
    public const int MaxNameLength = 200;

    /// <summary>The most tags one request or row may give a contact.</summary>
    public const int MaxTagsPerChange = 100;

    /// <summary>A name: trimmed, at most <see cref="MaxNameLength"/> characters, no control characters (a line break in a
    /// name would end up in the To field of every mail); null for empty input.</summary>
    public static string? Name(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        var name = CaseFold.Nfc(value.Trim());
        if (name.Length > MaxNameLength) throw new InvalidInputException($"a name has at most {MaxNameLength} characters, not {name.Length}");
        if (name.AsSpan().ContainsAnyInRange('\u0000', '\u001f') || name.AsSpan().ContainsAnyInRange('\u007f', '\u009f')) throw new InvalidInputException("a name may not hold control characters such as line breaks or tabs");
        return name;
    }

    /// <summary>The tags of one change, checked (<see cref="Tag"/>), without repeats; at most <see cref="MaxTagsPerChange"/>.</summary>
    public static List<string> Tags(IEnumerable<string> values)
    {
        var tags = values.Select(Tag).DistinctBy(CaseFold.Of, StringComparer.Ordinal).ToList();
        if (tags.Count > MaxTagsPerChange) throw new InvalidInputException($"at most {MaxTagsPerChange} tags at a time, not {tags.Count}");
        return tags;
    }
}
