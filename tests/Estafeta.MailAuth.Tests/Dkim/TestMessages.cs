using System.Text;
using MimeKit;
using MimeKit.Text;

namespace Estafeta.MailAuth.Tests.Dkim;

internal static class TestMessages
{
    public const string SpanishSubject = "¡Oferta de Navidad! Compra ahora";

    public static byte[] Plain() => Encoding.ASCII.GetBytes(
        "From: Tienda <ofertas@news.example.com>\r\n" +
        "To: Ana <ana@example.net>\r\n" +
        "Subject: Hello\r\n" +
        "Date: Mon, 01 Dec 2025 10:00:00 +0000\r\n" +
        "Message-ID: <plain-1@news.example.com>\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/plain; charset=us-ascii\r\n" +
        "\r\n" +
        "Hello Ana,\r\n" +
        "\r\n" +
        "Our  prices   fell.\t \r\n" +
        "\r\n" +
        "\r\n");

    /// <summary>The Spanish subject as an RFC 2047 encoded-word, with a UTF-8 8bit body.</summary>
    public static byte[] EncodedUtf8Subject() => Encoding.UTF8.GetBytes(
        "From: \"Tienda Muñoz\" <ofertas@news.example.com>\r\n" +
        "To: =?UTF-8?Q?Jos=C3=A9_P=C3=A9rez?= <jose@example.net>\r\n" +
        "Subject: =?UTF-8?Q?=C2=A1Oferta_de_Navidad!_Compra_ahora?=\r\n" +
        "Date: Mon, 01 Dec 2025 10:00:00 +0100\r\n" +
        "Message-ID: <navidad-1@news.example.com>\r\n" +
        "List-Unsubscribe: <https://news.example.com/u/abc123>, <mailto:unsub-abc123@news.example.com>\r\n" +
        "List-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: 8bit\r\n" +
        "\r\n" +
        "Hola José,\r\n" +
        "\r\n" +
        "¡Feliz Navidad! Este año, señora Muñoz, ahorra un 20 % en turrón y mazapán.\r\n" +
        "Oferta válida hasta el 6 de enero — ¡no te la pierdas!\r\n");

    /// <summary>The Spanish subject as raw UTF-8 (an SMTPUTF8 message, RFC 6532), 8bit body.</summary>
    public static byte[] RawUtf8Subject() => Encoding.UTF8.GetBytes(
        "From: Tienda Muñoz <ofertas@news.example.com>\r\n" +
        "To: José Pérez <josé@ejemplo.es>\r\n" +
        "Subject: " + SpanishSubject + "\r\n" +
        "Date: Mon, 01 Dec 2025 10:00:00 +0100\r\n" +
        "Message-ID: <navidad-2@news.example.com>\r\n" +
        "MIME-Version: 1.0\r\n" +
        "Content-Type: text/plain; charset=utf-8\r\n" +
        "Content-Transfer-Encoding: 8bit\r\n" +
        "\r\n" +
        "¡Hola José!  Señales   de Navidad:\t\r\n" +
        "  — turrón, mazapán y polvorones —  \r\n" +
        "\r\n");

    /// <summary>A campaign message of about 22 KB: multipart/alternative, quoted-printable HTML.</summary>
    public static MimeMessage Campaign(int recipient = 0)
    {
        var message = new MimeMessage();
        message.From.Add(new MailboxAddress("Tienda Muñoz", "ofertas@news.example.com"));
        message.To.Add(new MailboxAddress("José Pérez", $"jose{recipient}@example.net"));
        message.ReplyTo.Add(new MailboxAddress("Atención", "hola@news.example.com"));
        message.Subject = SpanishSubject;
        message.Date = new DateTimeOffset(2025, 12, 1, 10, 0, 0, TimeSpan.Zero);
        message.MessageId = $"campaign-42-{recipient}@news.example.com";
        message.Headers.Add("List-Unsubscribe", $"<https://news.example.com/u/{recipient:x8}>, <mailto:unsub-{recipient:x8}@news.example.com>");
        message.Headers.Add("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");

        var html = new StringBuilder("<!DOCTYPE html><html><body><table width=\"100%\">");
        var text = new StringBuilder();
        for (var i = 0; html.Length < 15_000; i++)
        {
            html.Append("<tr><td style=\"padding:12px;font-family:Arial\">Producto ").Append(i)
                .Append(": turrón de Jijona, mazapán de Toledo — ¡20 % de descuento! ")
                .Append("<a href=\"https://news.example.com/c/").Append(recipient).Append('/').Append(i).Append("\">Comprar</a></td></tr>\n");
            text.Append("Producto ").Append(i).Append(": turrón de Jijona, mazapán de Toledo, 20 % de descuento.\n");
        }
        html.Append("</table></body></html>");
        var alternative = new MultipartAlternative
        {
            new TextPart(TextFormat.Plain) { Text = text.ToString(), ContentTransferEncoding = ContentEncoding.QuotedPrintable },
            new TextPart(TextFormat.Html) { Text = html.ToString(), ContentTransferEncoding = ContentEncoding.QuotedPrintable },
        };
        alternative.Boundary = "=-campaign-42-boundary";
        message.Body = alternative;
        return message;
    }

    public static byte[] Bytes(MimeMessage message)
    {
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        using var stream = new MemoryStream();
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    /// <summary>The message with <paramref name="find"/> replaced once by <paramref name="replace"/>.</summary>
    public static byte[] Replace(byte[] message, string find, string replace)
    {
        var text = Encoding.UTF8.GetString(message);
        var at = text.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"\"{find}\" is not in the message");
        return Encoding.UTF8.GetBytes(text[..at] + replace + text[(at + find.Length)..]);
    }

    public static byte[] Prepend(string fields, byte[] message) => [.. Encoding.UTF8.GetBytes(fields), .. message];
}
