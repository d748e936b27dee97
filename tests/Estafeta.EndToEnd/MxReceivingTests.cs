using System.Text;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Estafeta.EndToEnd;

public class MxReceivingTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task<byte[]> SendAndFetch(MimeMessage message, string mailbox)
    {
        var marker = message.Subject;
        using (var smtp = await MailClients.SmtpAsync(server.Smtp, SecureSocketOptions.None))
        {
            await smtp.SendAsync(message);
            await smtp.DisconnectAsync(true);
        }
        var all = await MailClients.RetrieveAllAsync(server.Pop3, mailbox);
        var mine = all.Where(m => MimeMessage.Load(new MemoryStream(m)).Subject == marker).ToList();
        Assert.Single(mine);
        return mine[0];
    }

    [Fact]
    public async Task Mail_to_a_local_account_arrives_byte_for_byte_over_pop3()
    {
        var message = Messages.Simple("remitente@remoto.test", "ana@ejemplo.test", "Hola " + Guid.NewGuid(), "Primera línea\r\nSegunda línea\r\n");
        var stored = await SendAndFetch(message, "ana@ejemplo.test");
        Assert.True(Messages.EndsWith(stored, Messages.WireBytes(message)), Encoding.UTF8.GetString(stored));
        var header = Messages.HeaderBlock(stored);
        Assert.StartsWith("Return-Path: <remitente@remoto.test>\r\nReceived: from ", header);
        Assert.Contains("by mx.ejemplo.test (Estafeta) with ESMTP", header);
        Assert.Contains("for <ana@ejemplo.test>", header);
    }

    [Fact]
    public async Task Eight_bit_utf8_body_and_subject_arrive_unchanged()
    {
        var message = Messages.Simple("remitente@remoto.test", "ana@ejemplo.test", "¡Oferta de Navidad! Compra ahora " + Guid.NewGuid(), "");
        message.Body = new TextPart("plain") { Text = "Año nuevo, vida nueva: ñandú, acción, pingüino.\r\n", ContentTransferEncoding = ContentEncoding.EightBit };
        var stored = await SendAndFetch(message, "ana@ejemplo.test");
        Assert.True(Messages.EndsWith(stored, Messages.WireBytes(message)), Encoding.UTF8.GetString(stored) + "\n---\n" + Encoding.UTF8.GetString(Messages.WireBytes(message)));
        Assert.Contains("pingüino", Encoding.UTF8.GetString(stored));
    }

    [Fact]
    public async Task Utf8_mailbox_is_reached_with_smtputf8()
    {
        var message = Messages.Simple("remitente@remoto.test", "josé@ejemplo.test", "Para José " + Guid.NewGuid(), "Hola José\r\n");
        var stored = await SendAndFetch(message, "josé@ejemplo.test");
        Assert.Contains("with UTF8SMTP", Messages.HeaderBlock(stored));
    }

    [Fact]
    public async Task Lines_starting_with_a_dot_survive_both_ways()
    {
        var message = Messages.Simple("remitente@remoto.test", "ana@ejemplo.test", "Puntos " + Guid.NewGuid(), ".línea con punto\r\n..dos puntos\r\n.\r\nfin\r\n");
        var stored = await SendAndFetch(message, "ana@ejemplo.test");
        Assert.True(Messages.EndsWith(stored, Messages.WireBytes(message)));
        Assert.Contains("\r\n.línea con punto\r\n..dos puntos\r\n.\r\nfin\r\n", Encoding.UTF8.GetString(stored));
    }

    [Theory]
    [InlineData(99, true)]
    [InlineData(100, false)]
    public async Task A_message_that_has_passed_a_hundred_servers_is_refused_as_a_forwarding_loop(int received, bool accepted)
    {
        var message = Messages.Simple("remitente@remoto.test", "ana@ejemplo.test", "Bucle " + Guid.NewGuid(), "Otra vuelta.\r\n");
        for (var i = 0; i < received; i++)
            message.Headers.Insert(0, new Header(HeaderId.Received, $"from relay{i}.remoto.test by relay{i + 1}.remoto.test; Thu, 26 Nov 2026 10:00:00 +0000"));
        using var smtp = await MailClients.SmtpAsync(server.Smtp, SecureSocketOptions.None);
        if (accepted)
        {
            await smtp.SendAsync(message);
            return;
        }
        var refusal = await Assert.ThrowsAsync<SmtpCommandException>(() => smtp.SendAsync(message));
        Assert.Equal(SmtpStatusCode.TransactionFailed, refusal.StatusCode);
        Assert.Contains("5.4.6 Mail forwarding loop", refusal.Message);
    }

    [Fact]
    public async Task Alias_delivers_to_its_target()
    {
        var message = Messages.Simple("remitente@remoto.test", "ventas@ejemplo.test", "Pedido " + Guid.NewGuid(), "Quiero comprar.\r\n");
        await SendAndFetch(message, "ana@ejemplo.test");
    }

    [Fact]
    public async Task One_message_for_two_accounts_reaches_both()
    {
        var message = Messages.Simple("remitente@remoto.test", "ana@ejemplo.test", "A los dos " + Guid.NewGuid(), "Hola a ambos.\r\n");
        message.Cc.Add(MailboxAddress.Parse("josé@ejemplo.test"));
        await SendAndFetch(message, "ana@ejemplo.test");
        var forJose = await MailClients.RetrieveAllAsync(server.Pop3, "josé@ejemplo.test");
        Assert.Contains(forJose, m => MimeMessage.Load(new MemoryStream(m)).Subject == message.Subject);
    }

    [Fact]
    public async Task Unknown_user_is_refused_with_550_5_1_1()
    {
        using var smtp = await MailClients.SmtpAsync(server.Smtp, SecureSocketOptions.None);
        var e = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            smtp.SendAsync(Messages.Simple("a@remoto.test", "nadie@ejemplo.test", "x", "x\r\n")));
        Assert.Equal(SmtpStatusCode.MailboxUnavailable, e.StatusCode);
        Assert.Contains("5.1.1", e.Message + e.StatusCode, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Relay_attempt_is_refused_with_550_5_7_1()
    {
        await using var raw = await RawClient.ConnectAsync(server.Smtp);
        await raw.ReadReplyAsync();
        await raw.SendAsync("EHLO spammer.test\r\n");
        await raw.ReadReplyAsync();
        await raw.SendAsync("MAIL FROM:<a@remoto.test>\r\n");
        Assert.StartsWith("250", await raw.ReadReplyAsync());
        await raw.SendAsync("RCPT TO:<victima@otro-dominio.test>\r\n");
        Assert.StartsWith("550 5.7.1", await raw.ReadReplyAsync());
    }

    [Fact]
    public async Task Oversized_message_is_refused_with_552_after_reading_it()
    {
        var message = Messages.Simple("a@remoto.test", "ana@ejemplo.test", "Grande", new string('x', 76) + "\r\n");
        message.Body = new TextPart("plain") { Text = string.Concat(Enumerable.Repeat(new string('x', 76) + "\r\n", 5000)) };
        using var smtp = await MailClients.SmtpAsync(server.Smtp, SecureSocketOptions.None);
        var e = await Assert.ThrowsAsync<SmtpCommandException>(() => smtp.SendAsync(message));
        Assert.Equal(SmtpStatusCode.ExceededStorageAllocation, e.StatusCode);
        // The session is still usable after the refusal.
        await smtp.NoOpAsync();
    }

    [Fact]
    public async Task Message_over_a_full_quota_is_refused()
    {
        var message = Messages.Simple("a@remoto.test", "llena@ejemplo.test", "Cuota", string.Concat(Enumerable.Repeat("Texto de relleno para la cuota.\r\n", 200)));
        using var smtp = await MailClients.SmtpAsync(server.Smtp, SecureSocketOptions.None);
        var e = await Assert.ThrowsAsync<SmtpCommandException>(() => smtp.SendAsync(message));
        Assert.Equal(SmtpStatusCode.ExceededStorageAllocation, e.StatusCode);
    }
}
