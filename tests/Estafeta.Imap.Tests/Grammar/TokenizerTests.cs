using System.Text;
using Estafeta.Imap.Grammar;

namespace Estafeta.Imap.Tests.Grammar;

public sealed class TokenizerTests
{
    private static Tokenizer Of(string text) => new([new TextPart(Encoding.UTF8.GetBytes(text))]);

    [Fact]
    public void Sequence_sets_keep_ranges_and_stars()
    {
        var t = Of("1:3,7,9:*");
        Assert.Equal("1:3,7,9:*", t.SequenceSet().ToString());
        Assert.True(t.AtEnd);
    }

    [Fact]
    public void A_quoted_string_unescapes_quotes_and_backslashes()
    {
        Assert.Equal("a\"b\\c", Of("\"a\\\"b\\\\c\"").AString());
    }

    [Theory]
    [InlineData("mar\u00eda@ejemplo.test")]
    [InlineData("\u00d1and\u00fa")]
    public void An_atom_with_8_bit_octets_fails_saying_so(string text)
    {
        var t = new Tokenizer([new TextPart(Encoding.UTF8.GetBytes(text + " clave"))]);
        t.AString();
        Assert.Contains("8-bit data in an atom", t.Error, StringComparison.Ordinal);
        Assert.Equal("Ñandú", Of("\"Ñandú\"").AString());
    }

    [Fact]
    public void Parentheses_nested_deeper_than_the_limit_fail()
    {
        var t = new Tokenizer([new TextPart(Encoding.ASCII.GetBytes(new string('(', 10) + new string(')', 10)))]) { MaxDepth = 5 };
        void Item() { if (t.Peek() == '(') t.List(Item); }
        t.List(Item);
        Assert.Contains("nested", t.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Errors_are_sticky_and_later_reads_return_nothing()
    {
        var t = Of("abc");
        t.Number();
        Assert.NotNull(t.Error);
        Assert.Equal("", t.Atom());
    }

    [Theory]
    [InlineData("Caf&AOk-", "Café")]
    [InlineData("&ZeVnLIqe-", "日本語")]
    [InlineData("A&-B", "A&B")]
    public void Modified_utf7_round_trips(string wire, string name)
    {
        Assert.True(ModifiedUtf7.TryDecode(wire, out var decoded));
        Assert.Equal(name, decoded);
        Assert.Equal(wire, ModifiedUtf7.Encode(name));
    }

    [Fact]
    public void Invalid_modified_utf7_is_refused()
    {
        Assert.False(ModifiedUtf7.TryDecode("&Jjo", out _));
    }

    [Theory]
    [InlineData("Re: [list] Fwd: Hello (fwd)", "Hello")]
    [InlineData("[fwd: Re: Lunch]", "Lunch")]
    [InlineData("=?utf-8?q?Re:_Caf=C3=A9?=", "Café")]
    [InlineData("   Plain   subject  ", "Plain subject")]
    public void Base_subject_follows_rfc_5256(string subject, string expected)
    {
        Assert.Equal(expected, Estafeta.Imap.Commands.BaseSubject.Of(subject));
    }
}
