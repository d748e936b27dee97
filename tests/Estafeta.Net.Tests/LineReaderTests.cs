using System.Text;

namespace Estafeta.Net.Tests;

public class LineReaderTests
{
    private static async Task<List<string>> ReadAll(byte[] input, int segment, int max)
    {
        var reader = Segments.Feed(input, segment);
        var lines = new List<string>();
        while (true)
        {
            var line = await LineReader.ReadLineAsync(reader, max, CancellationToken.None);
            if (line.Status == LineStatus.Closed) return lines;
            lines.Add(line.Status == LineStatus.TooLong ? "<too long>" : Encoding.UTF8.GetString(line.Bytes));
        }
    }

    public static TheoryData<string, string[]> Cases => new()
    {
        { "EHLO a\r\nMAIL FROM:<a@b>\r\n", ["EHLO a", "MAIL FROM:<a@b>"] },
        { "NOOP\nQUIT\n", ["NOOP", "QUIT"] },
        { "\r\n\r\n", ["", ""] },
        { "RCPT TO:<josé@ejemplo.test>\r\n", ["RCPT TO:<josé@ejemplo.test>"] },
        { "A\rB\r\n", ["A\rB"] },
        { "NO ENDING", [] },
        { "0123456789012345678901234567890123456789\r\nOK\r\n", ["<too long>", "OK"] },
        { "01234567890123456789012345678901\r\n", ["01234567890123456789012345678901"] },
        { "012345678901234567890123456789012\r\nnext\n", ["<too long>", "next"] },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task Lines_are_the_same_whatever_the_split(string input, string[] expected)
    {
        var bytes = Encoding.UTF8.GetBytes(input);
        foreach (var size in Segments.Sizes(bytes.Length))
            Assert.Equal(expected, await ReadAll(bytes, size, 32));
    }

    [Fact]
    public async Task A_very_long_line_is_dropped_without_being_kept_in_memory()
    {
        var bytes = Encoding.ASCII.GetBytes(new string('x', 1_000_000) + "\r\nQUIT\r\n");
        Assert.Equal(["<too long>", "QUIT"], await ReadAll(bytes, 65536, 512));
    }
}
