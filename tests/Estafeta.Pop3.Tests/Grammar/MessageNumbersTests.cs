namespace Estafeta.Pop3.Tests.Grammar;

public sealed class MessageNumbersTests
{
    [Theory]
    [InlineData("1", 1)]
    [InlineData("01", 1)]
    [InlineData("0", 0)]
    [InlineData("000", 0)]
    [InlineData("42", 42)]
    [InlineData("999999999", 999_999_999)]
    [InlineData("1000000000", 1_000_000_000)]
    [InlineData("2147483646", 2_147_483_646)]
    [InlineData("0002147483646", 2_147_483_646)]
    [InlineData("2147483647", int.MaxValue)]
    [InlineData("2147483648", int.MaxValue)]
    [InlineData("99999999999999999999", int.MaxValue)]
    public void Decimal_numbers_parse(string text, int number)
    {
        Assert.True(MessageNumbers.TryParse(text, out var parsed));
        Assert.Equal(number, parsed);
    }

    [Theory]
    [InlineData("")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData("1.0")]
    [InlineData("1,000")]
    [InlineData("0x1")]
    [InlineData("1a")]
    [InlineData("one")]
    [InlineData("\u0661")]
    [InlineData("１")]
    public void Anything_but_ascii_digits_is_not_a_number(string text)
    {
        Assert.False(MessageNumbers.TryParse(text, out _));
    }
}
