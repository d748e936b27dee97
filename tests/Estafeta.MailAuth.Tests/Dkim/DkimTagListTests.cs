using System.Text;
using Estafeta.MailAuth.Dkim;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>RFC 6376 §3.2 tag=value lists and the helpers the verifier uses on their values, checked
/// against straightforward reference forms on random input.</summary>
public sealed class DkimTagListTests
{
    [Fact]
    public void Tags_are_trimmed_kept_in_order_and_case_sensitive()
    {
        Assert.True(DkimTagList.TryParse(" v=1;\r\n\ta = rsa-sha256 ;B=x; b= AB\r\n CD ;  ;x_1=;", out var tags, out var error), error);
        Assert.Equal(["v", "a", "B", "b", "x_1"], tags.Order);
        Assert.Equal("rsa-sha256", tags["a"]);
        Assert.Equal("x", tags["B"]);
        Assert.Equal("AB\r\n CD", tags["b"]);
        Assert.Equal("ABCD", tags.Compact("b"));
        Assert.Equal(string.Empty, tags["x_1"]);
        Assert.Null(tags["c"]);
        Assert.True(DkimTagList.TryParse("", out var empty, out _));
        Assert.Empty(empty.Order);
    }

    [Theory]
    [InlineData("v=1; a", "malformed tag \"a\"")]
    [InlineData("v=1; 1a=x", "malformed tag name \"1a\"")]
    [InlineData("v=1; a-b=x", "malformed tag name \"a-b\"")]
    [InlineData(" =x", "malformed tag name \"\"")]
    [InlineData("d=a; d=b", "duplicate tag d=")]
    public void Malformed_lists_are_refused_with_the_reason(string text, string reason)
    {
        Assert.False(DkimTagList.TryParse(text, out _, out var error));
        Assert.Equal(reason, error);
    }

    [Fact]
    public void Whitespace_removal_matches_a_character_filter_on_random_values()
    {
        var random = new Random(6376);
        const string alphabet = "ABCabc+/= \t\r\n";
        for (var i = 0; i < 2000; i++)
        {
            var text = new StringBuilder();
            var length = random.Next(0, i % 10 == 0 ? 3000 : 80);
            for (var j = 0; j < length; j++) text.Append(alphabet[random.Next(alphabet.Length)]);
            var value = text.ToString();
            var expected = new string(value.Where(c => c is not (' ' or '\t' or '\r' or '\n')).ToArray());
            Assert.Equal(expected, DkimTagList.RemoveWhitespace(value));
        }
    }

    [Fact]
    public void Base64_decoding_gives_exactly_the_encoded_bytes()
    {
        var random = new Random(8301);
        for (var length = 0; length < 300; length++)
        {
            var bytes = new byte[length];
            random.NextBytes(bytes);
            var encoded = Convert.ToBase64String(bytes);
            Assert.True(DkimSignature.TryDecodeBase64(encoded, out var decoded));
            Assert.Equal(bytes, decoded);
            var folded = encoded.Length > 4 ? encoded[..4] + " \r\n " + encoded[4..] : encoded;
            Assert.True(DkimSignature.TryDecodeBase64(folded, out var unfolded));
            Assert.Equal(bytes, unfolded);
        }
        Assert.False(DkimSignature.TryDecodeBase64("AB$D", out _));
        Assert.False(DkimSignature.TryDecodeBase64("ABC", out _));
        Assert.False(DkimSignature.TryDecodeBase64("====", out _));
    }
}
