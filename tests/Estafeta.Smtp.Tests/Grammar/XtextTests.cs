using System.Text;
using Estafeta.Smtp.Grammar;

namespace Estafeta.Smtp.Tests.Grammar;

public sealed class XtextTests
{
    [Theory]
    [InlineData("", "")]
    [InlineData("plain", "plain")]
    [InlineData("a+2Bb", "a+b")]
    [InlineData("a+3Db", "a=b")]
    [InlineData("+20+7E", " ~")]
    [InlineData("lower+2bcase", "lower+case")]
    public void Hex_escapes_are_decoded(string xtext, string decoded)
    {
        Assert.True(Xtext.TryDecode(Encoding.ASCII.GetBytes(xtext), out var bytes));
        Assert.Equal(decoded, Encoding.ASCII.GetString(bytes));
    }

    [Theory]
    [InlineData("a+")]
    [InlineData("a+2")]
    [InlineData("a+G0")]
    [InlineData("a=b")]
    [InlineData("a b")]
    [InlineData("a\u007fb")]
    public void Malformed_xtext_is_refused(string xtext) =>
        Assert.False(Xtext.TryDecode(Encoding.ASCII.GetBytes(xtext), out _));
}
