using System.Globalization;
using System.Text;

namespace Estafeta.Mail.Authentication;

/// <summary>Text as the phrase rules compare it: lower case, accents removed ("aquí" → "aqui"), every run of
/// characters that are not letters or digits turned into one space, with a space at both ends so that a
/// phrase matches whole words only.</summary>
public static class SpamText
{
    public static string Normalize(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var b = new StringBuilder(decomposed.Length + 2).Append(' ');
        var space = true;
        foreach (var c in decomposed)
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(c);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark) continue;
            if (char.IsLetterOrDigit(c))
            {
                b.Append(char.ToLowerInvariant(c));
                space = false;
            }
            else if (!space)
            {
                b.Append(' ');
                space = true;
            }
        }
        if (!space) b.Append(' ');
        return b.ToString();
    }
}
