using System.Text;

namespace Estafeta.Storage;

/// <summary>The form text is compared in when case does not matter: Unicode NFC, lowercase by the invariant culture's
/// rules. "ESPAÑA", "España" and "españa" (composed or with a combining tilde) are alike; accents still count ("Espana"
/// is another word). SQL's <c>lower()</c> cannot do this everywhere: SQLite's folds ASCII only and PostgreSQL's follows
/// the database's locale. So tags store this key (<c>contact_tags.tag_key</c>), and SQLite connections have it as the
/// function <c>estafeta_lower(text)</c>.</summary>
public static class CaseFold
{
    public static string Of(string text) => text.Normalize(NormalizationForm.FormC).ToLowerInvariant();

    /// <summary><paramref name="text"/> without its accents and other combining marks (NFC): "facturación" → "facturacion".
    /// For names people write with or without them (field names, role addresses); not for values, where accents count.</summary>
    public static string WithoutAccents(string text)
    {
        if (Ascii.IsValid(text)) return text;
        var kept = new StringBuilder(text.Length);
        foreach (var c in text.Normalize(NormalizationForm.FormD))
            if (System.Globalization.CharUnicodeInfo.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.NonSpacingMark) kept.Append(c);
        return kept.ToString().Normalize(NormalizationForm.FormC);
    }

    /// <summary>Whether <paramref name="text"/> has a character beyond ASCII, which SQLite's <c>lower()</c> leaves as it is.</summary>
    public static bool BeyondAscii(string text) => !Ascii.IsValid(text);
}
