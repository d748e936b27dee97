using System.Text;

namespace Estafeta.Storage;

/// <summary>The form a contact's tag is compared in (<c>contact_tags.tag_key</c>): Unicode NFC, lowercase by the
/// invariant culture's rules. "ESPAÑA", "España" and "españa" (composed or with a combining tilde) are one tag; accents
/// still count ("Espana" is another). SQL's <c>lower()</c> cannot do this: SQLite's folds ASCII only, PostgreSQL's
/// depends on the database's locale, so the key is computed here and stored with the tag.</summary>
public static class TagKeys
{
    public static string Of(string tag) => tag.Normalize(NormalizationForm.FormC).ToLowerInvariant();
}
