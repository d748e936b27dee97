using System.Buffers;
using System.Text;
using Estafeta.Net;

namespace Estafeta.Smtp.Tests.Grammar;

/// <summary>The DATA decoder the engine relies on: only CRLF.CRLF ends a body, whatever way the bytes
/// arrive. Every case is fed whole and then split into segments of every size from 1 to 512 bytes.</summary>
public sealed class DotStreamDecoderTests
{
    private sealed record Decoded(string Body, bool Done, int Consumed, long Length, bool Exceeded, bool EightBit, bool BareLineBreaks);

    private static Decoded Decode(byte[] input, int segment, long maxSize)
    {
        var decoder = new DotStreamDecoder(maxSize);
        var output = new ArrayBufferWriter<byte>();
        var consumed = 0;
        var done = false;
        for (var offset = 0; offset < input.Length && !done; offset += segment)
        {
            var piece = input.AsSpan(offset, Math.Min(segment, input.Length - offset));
            done = decoder.Decode(piece, output, out var used);
            consumed += used;
        }
        return new Decoded(Encoding.Latin1.GetString(output.WrittenSpan), done, consumed, decoder.Length, decoder.Exceeded, decoder.EightBit, decoder.BareLineBreaks);
    }

    private static Decoded DecodeEverySplit(byte[] input, long maxSize = long.MaxValue)
    {
        // Past the limit the output is dropped, so only the measurements must agree.
        static Decoded Comparable(Decoded d) => d.Exceeded ? d with { Body = "" } : d;
        var whole = Decode(input, Math.Max(input.Length, 1), maxSize);
        for (var segment = 1; segment <= 512; segment++)
            Assert.Equal(Comparable(whole), Comparable(Decode(input, segment, maxSize)));
        return whole;
    }

    private static byte[] Bytes(string latin1) => Encoding.Latin1.GetBytes(latin1);

    public static TheoryData<string, string, bool> Cases => new()
    {
        // input, body, terminated
        { "Hello\r\n.\r\n", "Hello\r\n", true },
        { ".\r\n", "", true },
        { "\r\n.\r\n", "\r\n", true },
        { "..dot first\r\n.\r\n", ".dot first\r\n", true },
        { "a\r\n..\r\n.\r\n", "a\r\n.\r\n", true },
        { "a\r\n...\r\n.\r\n", "a\r\n..\r\n", true },
        { "a\r\n.b\r\n.\r\n", "a\r\nb\r\n", true },
        { "a.\r\nb.c\r\n.\r\n", "a.\r\nb.c\r\n", true },
        { "no end\r\n", "no end\r\n", false },
        { "no end\r\n.", "no end\r\n", false },
        { "no end\r\n.\r", "no end\r\n", false },
        // bare LF and bare CR never end the body (SMTP smuggling); they are stored as CRLF
        { "a\n.\nb\r\n.\r\n", "a\r\n\r\nb\r\n", true },
        { "a\r\n.\nb\r\n.\r\n", "a\r\n\r\nb\r\n", true },
        { "a\n.\r\nb\r\n.\r\n", "a\r\n\r\nb\r\n", true },
        { "a\r.\r\nb\r\n.\r\n", "a\r\n\r\nb\r\n", true },
        { "a\r\n.\r.\r\n.\r\n", "a\r\n\r\n\r\n", true },
        { "a\n.\n", "a\r\n\r\n", false },
        { "a\r\n.\n", "a\r\n\r\n", false },
        { "a\n.\r\n", "a\r\n\r\n", false },
        { "a\r.\r\n", "a\r\n\r\n", false },
        { "a\r\n.\n.\r\n", "a\r\n\r\n\r\n", false },
        { "bare\nlf\r\n.\r\n", "bare\r\nlf\r\n", true },
        { "bare\rcr\r\n.\r\n", "bare\r\ncr\r\n", true },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Only_crlf_dot_crlf_ends_the_body(string input, string body, bool terminated)
    {
        var result = DecodeEverySplit(Bytes(input));
        Assert.Equal(body, result.Body);
        Assert.Equal(terminated, result.Done);
        Assert.Equal(body.Length, result.Length);
        if (terminated) Assert.Equal(input.Length, result.Consumed);
    }

    [Fact]
    public void Bare_line_breaks_are_reported()
    {
        Assert.True(DecodeEverySplit(Bytes("a\nb\r\n.\r\n")).BareLineBreaks);
        Assert.True(DecodeEverySplit(Bytes("a\rb\r\n.\r\n")).BareLineBreaks);
        Assert.False(DecodeEverySplit(Bytes("a\r\nb\r\n.\r\n")).BareLineBreaks);
    }

    [Fact]
    public void Bytes_after_the_terminator_are_not_consumed()
    {
        var input = Bytes("body\r\n.\r\nMAIL FROM:<next@example.test>\r\n");
        var result = DecodeEverySplit(input);
        Assert.True(result.Done);
        Assert.Equal("body\r\n", result.Body);
        Assert.Equal("body\r\n.\r\n".Length, result.Consumed);
    }

    [Fact]
    public void Eight_bit_data_is_reported()
    {
        Assert.True(DecodeEverySplit(Encoding.UTF8.GetBytes("Subject: café\r\n.\r\n")).EightBit);
        Assert.False(DecodeEverySplit(Bytes("Subject: cafe\r\n.\r\n")).EightBit);
    }

    [Theory]
    [InlineData(8, false)]
    [InlineData(7, true)]
    public void A_body_over_the_limit_is_measured_to_its_end_and_marked(long maxSize, bool exceeded)
    {
        var result = DecodeEverySplit(Bytes("123456\r\n.\r\n"), maxSize);
        Assert.True(result.Done);
        Assert.Equal(8, result.Length);
        Assert.Equal(exceeded, result.Exceeded);
        if (!exceeded) Assert.Equal("123456\r\n", result.Body);
    }

    [Fact]
    public void A_long_body_with_every_kind_of_line_end_decodes_the_same_in_any_split()
    {
        var random = new Random(5321);
        var alphabet = Bytes("ab.\r\n\r\n..xyz\u00e9 ");
        var input = new byte[4000];
        for (var i = 0; i < input.Length; i++) input[i] = alphabet[random.Next(alphabet.Length)];
        Assert.True(DecodeEverySplit([.. input, .. Bytes("\r\n.\r\n")]).Done);
        Assert.True(DecodeEverySplit([.. input, .. Bytes("\r\n.\r\n")], maxSize: 100).Done);
    }
}
