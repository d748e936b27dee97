using MimeKit;

namespace Estafeta.EndToEnd;

/// <summary>The known attacks on SMTP parsing, against the whole server.</summary>
public class ProtocolAttackTests(ServerFixture server) : IClassFixture<ServerFixture>
{
    private async Task<List<MimeMessage>> Inbox(string account) =>
        (await MailClients.RetrieveAllAsync(server.Pop3, account)).Select(m => MimeMessage.Load(new MemoryStream(m))).ToList();

    [Fact]
    public async Task Commands_sent_with_starttls_before_the_handshake_are_discarded()
    {
        var marker = "inyeccion-" + Guid.NewGuid();
        await using var raw = await RawClient.ConnectAsync(server.Smtp);
        await raw.ReadReplyAsync();
        await raw.SendAsync("EHLO atacante.test\r\n");
        await raw.ReadReplyAsync();
        await raw.SendAsync($"STARTTLS\r\nMAIL FROM:<{marker}@remoto.test>\r\nRCPT TO:<ana@ejemplo.test>\r\nDATA\r\nSubject: {marker}\r\n\r\ninjected\r\n.\r\n");
        Assert.StartsWith("220", await raw.ReadReplyAsync());
        await raw.StartTlsAsync();
        await raw.SendAsync("EHLO atacante.test\r\n");
        Assert.StartsWith("250", await raw.ReadReplyAsync());
        // After TLS, a MAIL starts a fresh transaction: nothing from the injected plaintext remains.
        await raw.SendAsync("RCPT TO:<ana@ejemplo.test>\r\n");
        Assert.StartsWith("503", await raw.ReadReplyAsync());
        await raw.SendAsync("QUIT\r\n");
        Assert.DoesNotContain(await Inbox("ana@ejemplo.test"), m => m.Subject == marker);
    }

    [Theory]
    [InlineData("\n.\n")]
    [InlineData("\r\n.\n")]
    [InlineData("\n.\r\n")]
    [InlineData("\r.\r\n")]
    public async Task A_bare_line_break_dot_never_ends_data(string fakeEnd)
    {
        var subject = "contrabando-" + Guid.NewGuid();
        var smuggled = "smuggled-" + Guid.NewGuid();
        await using var raw = await RawClient.ConnectAsync(server.Smtp);
        await raw.ReadReplyAsync();
        await raw.SendAsync("EHLO atacante.test\r\n");
        await raw.ReadReplyAsync();
        await raw.SendAsync("MAIL FROM:<a@remoto.test>\r\n");
        await raw.ReadReplyAsync();
        await raw.SendAsync("RCPT TO:<ana@ejemplo.test>\r\n");
        await raw.ReadReplyAsync();
        await raw.SendAsync("DATA\r\n");
        Assert.StartsWith("354", await raw.ReadReplyAsync());
        await raw.SendAsync($"Subject: {subject}\r\n\r\nfirst part{fakeEnd}MAIL FROM:<x@remoto.test>\r\nRCPT TO:<ana@ejemplo.test>\r\nDATA\r\nSubject: {smuggled}\r\n\r\nsmuggled body\r\n.\r\n");
        Assert.StartsWith("250", await raw.ReadReplyAsync());
        await raw.SendAsync("QUIT\r\n");
        await raw.ReadReplyAsync();
        var inbox = await Inbox("ana@ejemplo.test");
        Assert.Contains(inbox, m => m.Subject == subject);
        Assert.DoesNotContain(inbox, m => m.Subject == smuggled);
    }

    [Fact]
    public async Task Too_many_errors_end_the_session_with_421()
    {
        await using var raw = await RawClient.ConnectAsync(server.Smtp);
        await raw.ReadReplyAsync();
        string reply = "";
        for (var i = 0; i < 20 && !reply.StartsWith("421", StringComparison.Ordinal); i++)
        {
            await raw.SendAsync("BOGUS\r\n");
            reply = await raw.ReadReplyAsync();
        }
        Assert.StartsWith("421", reply);
        Assert.True(await raw.IsClosedAsync());
    }
}
