using System.Globalization;
using System.Text;

namespace Estafeta.Mail.Authentication;

/// <summary>Text as the phrase rules compare it: lower case, accents removed ("aquí" → "aqui"), every run of
/// characters that are not letters or digits turned into one space, with a space at both ends so that a
/// phrase matches whole words only.</summary>
/// <remarks>Every MX message goes through this, so plain ASCII text (most of it) skips the Unicode
/// decomposition and the category tables; the result is the same either way.</remarks>
public static class SpamText
{
    public static string Normalize(string text)
    {
        var source = text;
        if (!Ascii.IsValid(text))
        {
            try
            {
                source = text.Normalize(NormalizationForm.FormD);
            }
            catch (ArgumentException)
            {
                // Text .NET cannot normalise (U+FFFE, half of a surrogate pair: a hostile or mislabelled message) is read as
                // it is, its accents left on, rather than failing the message's scoring.
            }
        }
        var buffer = source.Length < 4096 ? stackalloc char[source.Length + 2] : new char[source.Length + 2];
        var n = 0;
        buffer[n++] = ' ';
        var space = true;
        foreach (var c in source)
        {
            char kept;
            if (char.IsAscii(c))
            {
                if (!char.IsAsciiLetterOrDigit(c)) kept = '\0';
                else kept = char.IsAsciiLetterUpper(c) ? (char)(c | 0x20) : c;
            }
            else
            {
                var category = CharUnicodeInfo.GetUnicodeCategory(c);
                if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark) continue;
                kept = char.IsLetterOrDigit(c) ? char.ToLowerInvariant(c) : '\0';
            }

            if (kept != '\0')
            {
                buffer[n++] = kept;
                space = false;
            }
            else if (!space)
            {
                buffer[n++] = ' ';
                space = true;
            }
        }
        if (!space) buffer[n++] = ' ';
        return new string(buffer[..n]);
    }
}
