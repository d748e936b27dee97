using Estafeta.Marketing.Audience;
using Estafeta.Storage;

namespace Estafeta.Marketing.Tests;

public sealed class LanguageTagsTests
{
    [Theory]
    [InlineData("es", "es")]
    [InlineData(" ES ", "es")]
    [InlineData("es_MX", "es-mx")]
    [InlineData("es-419", "es-419")]
    [InlineData("en-GB", "en-gb")]
    [InlineData("zh-Hant-TW", "zh-hant-tw")]
    [InlineData("ast", "ast")]
    [InlineData("ca-ES-valencia", "ca-es-valencia")]
    [InlineData("Español", "es")]
    [InlineData("ESPANOL", "es")]
    [InlineData("castellano", "es")]
    [InlineData("Spanish", "es")]
    [InlineData("inglés", "en")]
    [InlineData("English", "en")]
    [InlineData("Deutsch", "de")]
    [InlineData("Català", "ca")]
    [InlineData("Euskera", "eu")]
    [InlineData("Português", "pt")]
    [InlineData("日本語", "ja")]
    [InlineData("", null)]
    [InlineData("  ", null)]
    [InlineData(null, null)]
    public void A_code_or_a_name_becomes_the_tag(string? input, string? tag) => Assert.Equal(tag, LanguageTags.Parse(input));

    [Theory]
    [InlineData("klingon")]
    [InlineData("Spanisch")]
    [InlineData("xx")]
    [InlineData("e")]
    [InlineData("es--mx")]
    [InlineData("es-mx-")]
    [InlineData("es mx")]
    [InlineData("1es")]
    [InlineData("es-toolongvariant")]
    public void Anything_else_is_refused_with_examples(string input)
    {
        var e = Assert.Throws<InvalidInputException>(() => LanguageTags.Parse(input));
        Assert.Equal($"'{input}' is not a language: give its code (es, en, es-mx) or its name (español, English)", e.Message);
        // The second time comes from what was remembered, with the same words.
        Assert.Equal(e.Message, Assert.Throws<InvalidInputException>(() => LanguageTags.Parse(input)).Message);
    }
}
