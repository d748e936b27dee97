namespace Estafeta.Storage.Tests;

public sealed class StorableTextTests
{
    [Fact]
    public void The_first_character_no_stored_value_may_hold_is_found_with_why()
    {
        // Not theory data: xUnit's serialisation of the cases would replace a lone half.
        foreach (var (text, at, why) in new[]
        {
            ("España 🇪🇸", -1, ""), ("", -1, ""), ("a\0b", 1, StorableText.Nul), ("ab\ud800", 2, StorableText.HalfSurrogate),
            ("\udc00a", 0, StorableText.HalfSurrogate), ("a\0\ud800", 1, StorableText.Nul), ("a\ud800\0", 1, StorableText.HalfSurrogate),
            ("🇪\0", 2, StorableText.Nul), ("a\uFFFE", 1, StorableText.ReversedMark), ("\uFFFE\0", 0, StorableText.ReversedMark),
            ("\0\uFFFE", 0, StorableText.Nul), ("a\ud800\uFFFE", 1, StorableText.HalfSurrogate), ("a\uFFFF\uFEFF", -1, ""),
        })
        {
            Assert.Equal((at, why), (StorableText.FaultAt(text, out var reason), reason));
        }
    }

    [Fact]
    public void Text_with_no_normal_form_is_an_input_error_and_stored_text_still_folds()
    {
        // .NET's normalisation throws an ArgumentException for U+FFFE, which reached callers as a failure of the program.
        Assert.Equal("the text is not valid Unicode: it holds " + StorableText.ReversedMark, Assert.Throws<InvalidInputException>(() => CaseFold.Nfc("Año\uFFFE")).Message);
        Assert.Equal("the text is not valid Unicode: it holds " + StorableText.HalfSurrogate, Assert.Throws<InvalidInputException>(() => CaseFold.Nfc("a\ud800")).Message);
        Assert.Equal("año\uFFFE", CaseFold.OfStored("AÑO\uFFFE"));
        Assert.Equal("españa", CaseFold.OfStored("ESPAN\u0303A"));
    }

    [Fact]
    public void Checked_gives_the_text_back_or_says_what_holds_what()
    {
        Assert.Equal("año", StorableText.Checked("año", "a tag"));
        var e = Assert.Throws<InvalidInputException>(() => StorableText.Checked("a\0", "field país"));
        Assert.Equal("field país holds the character U+0000 (NUL), which no stored text may hold", e.Message);
    }
}
