using System.Text;
using Estafeta.MailAuth.Dkim;

namespace Estafeta.MailAuth.Tests.Dkim;

/// <summary>The header is split by LFs found 64 octets at a time; here it is compared with a plain reading of RFC 5322
/// §2.2 (a field goes on while its next line starts with SP or HTAB; the header ends at the first empty line) on random
/// messages whose lines cross the 64-octet blocks, with folds, unterminated last fields and no body.</summary>
public sealed class WireMessageTests
{
    private static readonly string[] Lines = ["From: a@example.com", "Subject: hola", "X-Long: " + new string('x', 70), "\t folded", " more", "To:b", ":", "No colon"];

    [Fact]
    public void Fields_and_body_are_where_the_line_by_line_reading_puts_them()
    {
        var random = new Random(5322);
        for (var round = 0; round < 5_000; round++)
        {
            var text = new StringBuilder();
            var lines = random.Next(0, 12);
            for (var i = 0; i < lines; i++) text.Append(Lines[random.Next(Lines.Length)]).Append("\r\n");
            var ending = random.Next(4);
            if (ending == 0) text.Append("\r\nbody line\r\n");
            else if (ending == 1 && text.Length > 2) text.Length -= 2; // the last field unterminated, no body
            var bytes = Encoding.ASCII.GetBytes(text.ToString());

            var wire = WireMessage.Parse(bytes);
            var (fields, bodyOffset) = Reference(text.ToString());
            Assert.Equal(fields, wire.Headers.Select(h => (h.Offset, h.Length)).ToList());
            Assert.Equal(bodyOffset, wire.BodyOffset);
        }
    }

    private static (List<(int Offset, int Length)> Fields, int BodyOffset) Reference(string text)
    {
        var fields = new List<(int, int)>();
        var position = 0;
        while (position < text.Length)
        {
            if (text.AsSpan(position).StartsWith("\r\n")) return (fields, position + 2);
            var end = position;
            while (true)
            {
                var lineEnd = text.IndexOf("\r\n", end, StringComparison.Ordinal);
                if (lineEnd < 0)
                {
                    end = text.Length;
                    break;
                }
                end = lineEnd + 2;
                if (end >= text.Length || (text[end] != ' ' && text[end] != '\t')) break;
            }
            fields.Add((position, end - position));
            position = end;
        }
        return (fields, text.Length);
    }
}
