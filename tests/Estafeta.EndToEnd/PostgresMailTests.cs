using MailKit.Security;
using MimeKit;
using Estafeta.Storage;

namespace Estafeta.EndToEnd;

/// <summary>The main mail paths with --database pointing at a real PostgreSQL server.</summary>
public class PostgresMailTests(PostgresServerFixture server) : IClassFixture<PostgresServerFixture>
{
    [Fact]
    public void Server_runs_on_postgresql()
    {
        Assert.Equal(DatabaseKind.PostgreSql, server.Host.Database.Kind);
    }

    [Fact]
    public async Task Mail_received_by_the_mx_is_read_back_over_pop3()
    {
        var message = Messages.Simple("remitente@remoto.test", "josé@ejemplo.test", "En PostgreSQL " + Guid.NewGuid(), "Cuerpo con acentos: canción.\r\n");
        using (var smtp = await MailClients.SmtpAsync(server.Smtp, SecureSocketOptions.None))
            await smtp.SendAsync(message);
        var all = await MailClients.RetrieveAllAsync(server.Pop3, "josé@ejemplo.test");
        var stored = Assert.Single(all, m => MimeMessage.Load(new MemoryStream(m)).Subject == message.Subject);
        Assert.True(Messages.EndsWith(stored, Messages.WireBytes(message)));
    }

    [Fact]
    public async Task Submission_to_a_remote_recipient_is_queued()
    {
        var message = Messages.Simple("ana@ejemplo.test", "cliente@remoto.test", "Cola " + Guid.NewGuid(), "x\r\n");
        using (var smtp = await MailClients.SmtpAsync(server.Submission, SecureSocketOptions.StartTls, "ana@ejemplo.test"))
            await smtp.SendAsync(message);
        var queue = await new OutboundQueueStore(server.Host.Database).ListAsync();
        Assert.Contains(queue, q => q.Recipients.Any(r => r.Address == "cliente@remoto.test"));
    }
}
