using System.Buffers;
using System.Text;
using Estafeta.Net;

namespace Estafeta.Pop3.Tests.Grammar;

/// <summary>The dot-stuffing that RETR and TOP rely on, fed every split from 1 to 512 bytes.</summary>
public sealed class DotStuffingEncoderTests
{
    public static TheoryData<string, int?, string> Cases => new()
    {
        // message, TOP body lines (null for RETR), what goes on the wire
        { "Subject: a\r\n\r\nbody\r\n", null, "Subject: a\r\n\r\nbody\r\n.\r\n" },
        { "Subject: a\r\n\r\n.one dot\r\n", null, "Subject: a\r\n\r\n..one dot\r\n.\r\n" },
        { "Subject: a\r\n\r\n..two dots\r\n", null, "Subject: a\r\n\r\n...two dots\r\n.\r\n" },
        { "Subject: a\r\n\r\n.\r\n", null, "Subject: a\r\n\r\n..\r\n.\r\n" },
        { ".Header-Like: x\r\n\r\nb\r\n", null, "..Header-Like: x\r\n\r\nb\r\n.\r\n" },
        { "Subject: a\r\n\r\nno final line end", null, "Subject: a\r\n\r\nno final line end\r\n.\r\n" },
        { "Subject: a\r\n\r\nends with CR\r", null, "Subject: a\r\n\r\nends with CR\r\n.\r\n" },
        { "Subject: a\r\n\r\n.", null, "Subject: a\r\n\r\n..\r\n.\r\n" },
        { "Subject: only a header\r\n", null, "Subject: only a header\r\n.\r\n" },
        { "Subject: only a header\r\n", 0, "Subject: only a header\r\n.\r\n" },
        { "Subject: only a header\r\n", 5, "Subject: only a header\r\n.\r\n" },
        { "", null, ".\r\n" },
        { "A: 1\r\nB: 2\r\n\r\nl1\r\n.l2\r\nl3\r\n", 0, "A: 1\r\nB: 2\r\n\r\n.\r\n" },
        { "A: 1\r\nB: 2\r\n\r\nl1\r\n.l2\r\nl3\r\n", 1, "A: 1\r\nB: 2\r\n\r\nl1\r\n.\r\n" },
        { "A: 1\r\nB: 2\r\n\r\nl1\r\n.l2\r\nl3\r\n", 2, "A: 1\r\nB: 2\r\n\r\nl1\r\n..l2\r\n.\r\n" },
        { "A: 1\r\nB: 2\r\n\r\nl1\r\n.l2\r\nl3\r\n", 3, "A: 1\r\nB: 2\r\n\r\nl1\r\n..l2\r\nl3\r\n.\r\n" },
        { "A: 1\r\nB: 2\r\n\r\nl1\r\n.l2\r\nl3\r\n", 100, "A: 1\r\nB: 2\r\n\r\nl1\r\n..l2\r\nl3\r\n.\r\n" },
        { "A: 1\r\n\r\n\r\n\r\nafter blanks\r\n", 1, "A: 1\r\n\r\n\r\n.\r\n" },
        { "A: 1\r\n\r\nlast line unterminated", 1, "A: 1\r\n\r\nlast line unterminated\r\n.\r\n" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_split_gives_the_same_stuffed_output(string message, int? bodyLines, string wire)
    {
        var input = Encoding.UTF8.GetBytes(message);
        for (var size = 1; size <= 512; size++)
            Assert.Equal(wire, Encode(input, size, bodyLines));
    }

    [Fact]
    public void A_long_message_with_dots_everywhere_splits_the_same_at_every_size()
    {
        var builder = new StringBuilder("Subject: many dots\r\n\r\n");
        for (var i = 0; i < 200; i++) builder.Append(i % 3 == 0 ? "." : "").Append(i % 7 == 0 ? ".." : "x").Append("line\r\n");
        var input = Encoding.UTF8.GetBytes(builder.ToString());
        var whole = Encode(input, input.Length, null);
        var top = Encode(input, input.Length, 50);
        for (var size = 1; size <= 512; size++)
        {
            Assert.Equal(whole, Encode(input, size, null));
            Assert.Equal(top, Encode(input, size, 50));
        }
        Assert.Equal(builder.ToString(), Unstuff(whole));
    }

    private static string Encode(byte[] input, int segment, int? bodyLines)
    {
        var output = new ArrayBufferWriter<byte>();
        var encoder = new DotStuffingWriter.Encoder(bodyLines);
        for (var i = 0; i < input.Length && !encoder.Finished; i += segment)
            encoder.Encode(input.AsSpan(i, Math.Min(segment, input.Length - i)), output);
        encoder.Finish(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    private static string Unstuff(string wire)
    {
        Assert.EndsWith("\r\n.\r\n", wire);
        var lines = wire[..^"\r\n.\r\n".Length].Split("\r\n");
        return string.Join("\r\n", lines.Select(l => l.StartsWith('.') ? l[1..] : l)) + "\r\n";
    }
}
