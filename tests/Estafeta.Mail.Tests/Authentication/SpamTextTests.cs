using Estafeta.Mail.Authentication;

namespace Estafeta.Mail.Tests.Authentication;

public class SpamTextTests
{
    [Theory]
    [InlineData("¡Oferta POR tiempo limitado!", " oferta por tiempo limitado ")]
    [InlineData("Haz clic AQUÍ", " haz clic aqui ")]
    [InlineData("100% GRATIS", " 100 gratis ")]
    [InlineData("España, señor", " espana senor ")]
    [InlineData("  --  ", " ")]
    [InlineData("", " ")]
    [InlineData("Buy now!!! 🎉 FREE", " buy now free ")]
    [InlineData("ÉXITO Über straße", " exito uber straße ")]
    [InlineData("tab\tand\r\nlines", " tab and lines ")]
    public void Lower_case_without_accents_and_one_space_between_words(string text, string expected) =>
        Assert.Equal(expected, SpamText.Normalize(text));

    [Fact]
    public void Text_with_no_normal_form_is_read_as_it_is()
    {
        // string.Normalize throws for U+FFFE and half a surrogate pair; a received message may hold either.
        Assert.Equal(" compra ahora gratis ", SpamText.Normalize("Compra AHORA\uFFFE GRATIS"));
        Assert.Equal(" oferta ", SpamText.Normalize("\ud800OFERTA"));
    }

    [Fact]
    public void Long_text_takes_the_same_path_as_short_text()
    {
        var word = "Compra AHORA, oferta por tiempo limitado. ";
        var text = string.Concat(Enumerable.Repeat(word, 500));
        var normalized = SpamText.Normalize(text);
        Assert.Equal(" " + string.Concat(Enumerable.Repeat("compra ahora oferta por tiempo limitado ", 500)), normalized);
    }
}
