using System.Buffers;
using System.Text;

namespace Estafeta.Net.Tests;

public class DotStuffingWriterTests
{
    private static string Encode(string content, int segment, int? lines)
    {
        var bytes = Encoding.UTF8.GetBytes(content);
        var encoder = new DotStuffingWriter.Encoder(lines);
        var output = new ArrayBufferWriter<byte>();
        for (var i = 0; i < bytes.Length && !encoder.Finished; i += segment)
            encoder.Encode(bytes.AsSpan(i, Math.Min(segment, bytes.Length - i)), output);
        encoder.Finish(output);
        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    public static TheoryData<string, int?, string> Cases => new()
    {
        { "Subject: a\r\n\r\nbody\r\n", null, "Subject: a\r\n\r\nbody\r\n.\r\n" },
        { "Subject: a\r\n\r\n.hidden\r\n..two\r\n.\r\n", null, "Subject: a\r\n\r\n..hidden\r\n...two\r\n..\r\n.\r\n" },
        { ".starts\r\n\r\nx", null, "..starts\r\n\r\nx\r\n.\r\n" },
        { "Subject: a\r\n\r\n1\r\n2\r\n3\r\n", 0, "Subject: a\r\n\r\n.\r\n" },
        { "Subject: a\r\n\r\n1\r\n2\r\n3\r\n", 2, "Subject: a\r\n\r\n1\r\n2\r\n.\r\n" },
        { "Subject: a\r\n\r\n1\r\n", 5, "Subject: a\r\n\r\n1\r\n.\r\n" },
        { "Subject: only headers\r\n", 3, "Subject: only headers\r\n.\r\n" },
        { "Asunto: ñandú\r\n\r\n.¡Olé!\r\n", 1, "Asunto: ñandú\r\n\r\n..¡Olé!\r\n.\r\n" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Stuffing_is_exact_whatever_the_split(string content, int? lines, string expected)
    {
        foreach (var size in Segments.Sizes(Encoding.UTF8.GetByteCount(content)))
            Assert.Equal(expected, Encode(content, size, lines));
    }
}
