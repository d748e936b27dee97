using System.Collections.Concurrent;
using System.Collections.Frozen;
using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>
/// A contact's language as a BCP 47 tag (RFC 5646), lower case with hyphens: <c>es</c>, <c>en-gb</c>, <c>es-419</c>.
/// What people type in a form or a spreadsheet's "Idioma" column is taken too: a language's name in Spanish, in English
/// or in its own words (<c>Español</c>, <c>castellano</c>, <c>Spanish</c>, <c>inglés</c>, <c>Deutsch</c>) becomes its
/// code, so that the confirmation mail, the pages and segments (<c>language = "es"</c>) see one value. Anything else that
/// is not a tag whose language subtag is an ISO 639 code is refused with an example, where before "Spanish" or
/// "klingon" were kept as they were written and the mail went out in English.
/// </summary>
/// <remarks>
/// Checked: the language subtag (two letters from ISO 639-1, or three letters, as ISO 639-2/3 codes are too many to
/// list), then the optional script (four letters), region (two letters or three digits), and variants or extensions
/// (1 to 8 letters and digits each). Not checked: whether a script, region or variant is registered with IANA.
/// </remarks>
public static class LanguageTags
{
    /// <summary>The tag for <paramref name="value"/>; null for empty input; <see cref="InvalidInputException"/> when it
    /// is neither a tag nor a language's name. Results are remembered for the first few hundred distinct inputs: an
    /// import's million rows hold a handful of values.</summary>
    public static string? Parse(string? value)
    {
        if (string.IsNullOrWhiteSpace(value)) return null;
        if (Seen.TryGetValue(value, out var known)) return known.Tag ?? throw new InvalidInputException(known.Error!);
        var (tag, error) = Read(value);
        if (Seen.Count < MaxRemembered) Seen.TryAdd(value, (tag, error));
        return tag ?? throw new InvalidInputException(error!);
    }

    private const int MaxRemembered = 512;

    private static readonly ConcurrentDictionary<string, (string? Tag, string? Error)> Seen = new(StringComparer.Ordinal);

    private static (string? Tag, string? Error) Read(string value)
    {
        var text = value.Trim();
        if (Names.TryGetValue(CaseFold.WithoutAccents(text).ToLowerInvariant(), out var named)) return (named, null);
        var tag = text.Replace('_', '-').ToLowerInvariant();
        return tag.Length <= 35 && IsTag(tag)
            ? (tag, null)
            : (null, $"'{value}' is not a language: give its code (es, en, es-mx) or its name (español, English)");
    }

    private static bool IsTag(string tag)
    {
        var parts = tag.Split('-');
        var language = parts[0];
        if (!(language.Length == 2 && Iso639_1.Contains(language) || language.Length == 3 && language.All(char.IsAsciiLetterLower))) return false;
        var i = 1;
        if (i < parts.Length && parts[i].Length == 4 && parts[i].All(char.IsAsciiLetterLower)) i++; // script
        if (i < parts.Length && (parts[i].Length == 2 && parts[i].All(char.IsAsciiLetterLower) || parts[i].Length == 3 && parts[i].All(char.IsAsciiDigit))) i++; // region
        for (; i < parts.Length; i++)
            if (parts[i].Length is 0 or > 8 || !parts[i].All(char.IsAsciiLetterOrDigit)) return false;
        return true;
    }

    /// <summary>ISO 639-1, the two-letter language codes.</summary>
    private static readonly FrozenSet<string> Iso639_1 = """
        aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy da de dv dz ee el en eo
        es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu hy hz ia id ie ig ii ik io is it iu ja jv ka kg
        ki kj kk kl km kn ko kr ks ku kv kw ky la lb lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn
        no nr nv ny oc oj om or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw ta
        te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
        """.Split((char[])[' ', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries).ToFrozenSet(StringComparer.Ordinal);

    /// <summary>Names of the languages an audience of Spanish and English speakers writes most, in Spanish, in English
    /// and in the language itself, lower case without accents.</summary>
    private static readonly FrozenDictionary<string, string> Names = new Dictionary<string, string>
    {
        ["espanol"] = "es", ["castellano"] = "es", ["spanish"] = "es", ["castilian"] = "es",
        ["ingles"] = "en", ["english"] = "en",
        ["portugues"] = "pt", ["portuguese"] = "pt",
        ["frances"] = "fr", ["francais"] = "fr", ["french"] = "fr",
        ["aleman"] = "de", ["deutsch"] = "de", ["german"] = "de",
        ["italiano"] = "it", ["italian"] = "it",
        ["catalan"] = "ca", ["catala"] = "ca", ["valenciano"] = "ca", ["valencia"] = "ca",
        ["euskera"] = "eu", ["euskara"] = "eu", ["vasco"] = "eu", ["basque"] = "eu",
        ["gallego"] = "gl", ["galego"] = "gl", ["galician"] = "gl",
        ["neerlandes"] = "nl", ["holandes"] = "nl", ["nederlands"] = "nl", ["dutch"] = "nl",
        ["polaco"] = "pl", ["polski"] = "pl", ["polish"] = "pl",
        ["rumano"] = "ro", ["romana"] = "ro", ["romanian"] = "ro",
        ["ruso"] = "ru", ["russian"] = "ru", ["русскии"] = "ru",
        ["chino"] = "zh", ["chinese"] = "zh", ["中文"] = "zh",
        ["japones"] = "ja", ["japanese"] = "ja", ["日本語"] = "ja",
        ["arabe"] = "ar", ["arabic"] = "ar", ["العربية"] = "ar",
        ["quechua"] = "qu", ["guarani"] = "gn", ["aimara"] = "ay", ["aymara"] = "ay",
    }.ToFrozenDictionary(StringComparer.Ordinal);
}
