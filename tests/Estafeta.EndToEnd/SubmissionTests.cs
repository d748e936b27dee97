using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;
using Estafeta.Storage;

namespace Estafeta.EndToEnd;

public class SubmissionTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    [Fact]
    public async Task Starttls_submission_with_login_delivers_to_a_local_mailbox()
    {
        var message = Messages.Simple("ana@ejemplo.test", "josé@ejemplo.test", "Por submission " + Guid.NewGuid(), "Enviado con STARTTLS.\r\n");
        using (var smtp = await MailClients.SmtpAsync(server.Submission, SecureSocketOptions.StartTls, "ana@ejemplo.test"))
        {
            Assert.True(smtp.IsSecure);
            await smtp.SendAsync(message);
        }
        var all = await MailClients.RetrieveAllAsync(server.Pop3, "josé@ejemplo.test");
        var stored = Assert.Single(all, m => MimeMessage.Load(new MemoryStream(m)).Subject == message.Subject);
        Assert.True(Messages.EndsWith(stored, Messages.WireBytes(message)));
        Assert.Contains("with UTF8SMTPSA", Messages.HeaderBlock(stored)); // josé@ needs SMTPUTF8; TLS and AUTH
    }

    [Fact]
    public async Task Implicit_tls_submission_delivers()
    {
        var message = Messages.Simple("ana@ejemplo.test", "ana@ejemplo.test", "Por TLS implícito " + Guid.NewGuid(), "Hola.\r\n");
        using (var smtp = await MailClients.SmtpAsync(server.Submissions, SecureSocketOptions.SslOnConnect, "ana@ejemplo.test"))
            await smtp.SendAsync(message);
        var all = await MailClients.RetrieveAllAsync(server.Pop3s, "ana@ejemplo.test", SecureSocketOptions.SslOnConnect);
        Assert.Contains(all, m => MimeMessage.Load(new MemoryStream(m)).Subject == message.Subject);
    }

    [Fact]
    public async Task Auth_is_not_offered_before_tls()
    {
        using var smtp = new SmtpClient();
        await smtp.ConnectAsync(server.Submission.Address.ToString(), server.Submission.Port, SecureSocketOptions.None);
        Assert.Empty(smtp.AuthenticationMechanisms);
        Assert.True(smtp.Capabilities.HasFlag(SmtpCapabilities.StartTLS));
    }

    [Fact]
    public async Task Wrong_password_is_refused()
    {
        await Assert.ThrowsAsync<AuthenticationException>(() =>
            MailClients.SmtpAsync(server.Submission, SecureSocketOptions.StartTls, "ana@ejemplo.test", "incorrecta"));
    }

    [Fact]
    public async Task Mail_without_login_is_refused_on_submission()
    {
        using var smtp = await MailClients.SmtpAsync(server.Submission, SecureSocketOptions.StartTls);
        var e = await Assert.ThrowsAsync<MailKit.ServiceNotAuthenticatedException>(() => smtp.SendAsync(Messages.Simple("ana@ejemplo.test", "josé@ejemplo.test", "x", "x\r\n")));
        Assert.Contains("5.7.0", e.Message);
    }

    [Fact]
    public async Task Sending_as_someone_else_is_refused_with_553()
    {
        using var smtp = await MailClients.SmtpAsync(server.Submission, SecureSocketOptions.StartTls, "ana@ejemplo.test");
        var e = await Assert.ThrowsAsync<SmtpCommandException>(() => smtp.SendAsync(Messages.Simple("josé@ejemplo.test", "ana@ejemplo.test", "x", "x\r\n")));
        Assert.Equal((SmtpStatusCode)553, e.StatusCode);
    }

    [Fact]
    public async Task From_header_of_someone_else_is_refused_with_553()
    {
        var message = Messages.Simple("josé@ejemplo.test", "ana@ejemplo.test", "Suplantación", "x\r\n");
        using var smtp = await MailClients.SmtpAsync(server.Submission, SecureSocketOptions.StartTls, "ana@ejemplo.test");
        var e = await Assert.ThrowsAsync<SmtpCommandException>(() =>
            smtp.SendAsync(message, MailboxAddress.Parse("ana@ejemplo.test"), [MailboxAddress.Parse("ana@ejemplo.test")]));
        Assert.Equal((SmtpStatusCode)553, e.StatusCode);
    }

    [Fact]
    public async Task Alias_owner_may_send_as_the_alias()
    {
        var message = Messages.Simple("ventas@ejemplo.test", "josé@ejemplo.test", "Desde ventas " + Guid.NewGuid(), "x\r\n");
        using var smtp = await MailClients.SmtpAsync(server.Submission, SecureSocketOptions.StartTls, "ana@ejemplo.test");
        await smtp.SendAsync(message);
    }

    [Fact]
    public async Task Remote_recipient_is_written_to_the_outbound_queue_with_its_dsn_parameters()
    {
        var message = Messages.Simple("ana@ejemplo.test", "cliente@remoto.test", "Hacia fuera " + Guid.NewGuid(), "Para un servidor remoto.\r\n");
        using (var smtp = await MailClients.SmtpAsync(server.Submission, SecureSocketOptions.StartTls, "ana@ejemplo.test"))
            await smtp.SendAsync(message);
        var queue = await new OutboundQueueStore(server.Host.Database).ListAsync();
        var entry = Assert.Single(queue, q => q.Recipients.Any(r => r.Address == "cliente@remoto.test"));
        Assert.Equal("ana@ejemplo.test", entry.EnvelopeSender);
        Assert.True(server.Host.Engine.Blobs.Exists(entry.BlobHash));
    }
}
