using MimeKit;

namespace Estafeta.EndToEnd;

public static class Messages
{
    public static MimeMessage Simple(string from, string to, string subject, string body)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("ejemplo.test");
        message.Date = new DateTimeOffset(2026, 11, 26, 10, 0, 0, TimeSpan.Zero);
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    /// <summary>The bytes MailKit puts on the wire for this message to a server with 8BITMIME and SMTPUTF8:
    /// raw UTF-8 headers only when an envelope address needs SMTPUTF8, encoded-words otherwise.</summary>
    public static byte[] WireBytes(MimeMessage message)
    {
        using var stream = new MemoryStream();
        var options = FormatOptions.Default.Clone();
        options.NewLineFormat = NewLineFormat.Dos;
        options.International = message.From.Mailboxes.Concat(message.To.Mailboxes).Concat(message.Cc.Mailboxes).Any(m => m.Address.Any(c => c > 127));
        options.EnsureNewLine = true;
        message.WriteTo(options, stream);
        return stream.ToArray();
    }

    public static bool EndsWith(byte[] stored, byte[] sent) => stored.AsSpan().EndsWith(sent);

    public static string HeaderBlock(byte[] stored)
    {
        var text = System.Text.Encoding.UTF8.GetString(stored);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return end < 0 ? text : text[..end];
    }
}
