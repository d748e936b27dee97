using System.Text;
using System.Text.RegularExpressions;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Estafeta.Storage;

namespace Estafeta.EndToEnd.Authentication;

/// <summary>Sending to the test server and finding what it stored.</summary>
public static class AuthenticationFlow
{
    public static async Task SendMxAsync(AuthenticationFixture server, MimeMessage message, string? envelopeFrom = null, string? to = null)
    {
        using var smtp = await MailClients.SmtpAsync(server.Smtp, SecureSocketOptions.None);
        var sender = MailboxAddress.Parse(envelopeFrom ?? message.From.Mailboxes.First().Address);
        var recipients = to is null ? message.To.Mailboxes.ToList() : [MailboxAddress.Parse(to)];
        await smtp.SendAsync(message, sender, recipients);
        await smtp.DisconnectAsync(true);
    }

    /// <summary>The stored copies of the message with this subject in one of the account's mailboxes.</summary>
    public static async Task<List<byte[]>> InMailboxAsync(AuthenticationFixture server, string account, string mailbox, string subject)
    {
        var owner = await new AccountStore(server.Host.Database).GetAsync(account) ?? throw new InvalidOperationException(account);
        var box = await server.Host.Engine.Mail.GetMailboxAsync(owner.Id, mailbox) ?? throw new InvalidOperationException(mailbox);
        var found = new List<byte[]>();
        foreach (var summary in await server.Host.Engine.Mail.ListMessagesAsync(box.Id))
        {
            await using var content = server.Host.Engine.Mail.OpenContent(summary);
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy);
            var bytes = copy.ToArray();
            if (MimeMessage.Load(new MemoryStream(bytes)).Subject == subject) found.Add(bytes);
        }
        return found;
    }

    /// <summary>The header block with folded lines joined.</summary>
    public static string UnfoldedHeader(byte[] stored) =>
        Regex.Replace(Messages.HeaderBlock(stored), "\r\n[ \t]+", " ");

    public static string Text(byte[] bytes) => Encoding.UTF8.GetString(bytes);

    public static string Unique(string subject) => subject + " " + Guid.NewGuid().ToString("N")[..8];
}
