using System.Text;

namespace Estafeta.Storage;

/// <summary>The form text is compared in when case does not matter: Unicode NFC, lowercase by the invariant culture's
/// rules. "ESPAÑA", "España" and "españa" (composed or with a combining tilde) are alike; accents still count ("Espana"
/// is another word). SQL's <c>lower()</c> cannot do this everywhere: SQLite's folds ASCII only and PostgreSQL's follows
/// the database's locale. So tags store this key (<c>contact_tags.tag_key</c>), and SQLite connections have it as the
/// function <c>estafeta_lower(text)</c>.</summary>
public static class CaseFold
{
    public static string Of(string text) => Nfc(text).ToLowerInvariant();

    /// <summary><paramref name="text"/> in Unicode NFC, the form text is stored and compared in. Text .NET cannot normalise
    /// (half of a surrogate pair, which a JSON <c>\ud800</c> escape gives, or U+FFFE) makes <c>string.Normalize</c> throw an
    /// <see cref="ArgumentException"/>, which callers would let through as a failure of the program rather than a value to
    /// refuse; here it is an <see cref="InvalidInputException"/> naming what <see cref="StorableText"/> finds.</summary>
    public static string Nfc(string text)
    {
        try
        {
            return text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            // Not quoted in the message: the error is written out as JSON or to a terminal, where a lone half cannot go.
            var why = StorableText.FaultAt(text, out var fault) >= 0 ? fault : "a character that has no normal form";
            throw new InvalidInputException("the text is not valid Unicode: it holds " + why);
        }
    }

    /// <summary><see cref="Of"/> for text already stored, which must never fail a query: text stored before the rule of
    /// <see cref="StorableText"/> (a U+FFFE) is folded without its normal form.</summary>
    public static string OfStored(string text)
    {
        try
        {
            return Of(text);
        }
        catch (InvalidInputException)
        {
            return text.ToLowerInvariant();
        }
    }

    /// <summary>Where the first surrogate that is not half of a pair is in <paramref name="text"/>, or -1.</summary>
    public static int LoneSurrogateAt(ReadOnlySpan<char> text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i])) continue;
            if (!char.IsHighSurrogate(text[i]) || i + 1 == text.Length || !char.IsLowSurrogate(text[i + 1])) return i;
            i++;
        }

        return -1;
    }

    /// <summary><paramref name="text"/> without its accents and other combining marks (NFC): "facturación" → "facturacion".
    /// For names people write with or without them (field names, role addresses); not for values, where accents count.</summary>
    public static string WithoutAccents(string text)
    {
        if (Ascii.IsValid(text)) return text;
        var kept = new StringBuilder(text.Length);
        foreach (var c in Nfc(text).Normalize(NormalizationForm.FormD))
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark) kept.Append(c);
        return kept.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>Whether <paramref name="text"/> has a character beyond ASCII, which SQLite's <c>lower()</c> leaves as it is.</summary>
    public static bool BeyondAscii(string text) => !Ascii.IsValid(text);
}
