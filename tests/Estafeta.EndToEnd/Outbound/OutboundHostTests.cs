using System.Globalization;
using Estafeta.Hosting;
using Estafeta.Mail;
using Estafeta.Storage;
using Estafeta.Testing;
using MailKit.Security;
using Microsoft.Extensions.Logging;
using MimeKit;

namespace Estafeta.EndToEnd.Outbound;

/// <summary>Two Estafetas on loopback: "origen" sends through DNS (a real DNS server on loopback) to the MX of
/// "destino", which is Estafeta's own MX; bounces and complaints flow back to origen's MX as events.</summary>
public sealed class OutboundHostTests : IAsyncLifetime
{
    private readonly string _origenData = Path.Combine(Path.GetTempPath(), "estafeta-origen-" + Guid.NewGuid().ToString("N"));
    private readonly string _destinoData = Path.Combine(Path.GetTempPath(), "estafeta-destino-" + Guid.NewGuid().ToString("N"));
    private LoopbackDnsServer _dns = null!;
    private EstafetaHost _origen = null!;
    private EstafetaHost _destino = null!;

    public async Task InitializeAsync()
    {
        _destino = await EstafetaHost.StartAsync(ServerFixture.Settings(_destinoData, new() { ["hostname"] = "mx.destino.test" }), LoggerFactory.Create(_ => { }));
        await new DomainStore(_destino.Database).AddAsync("destino.test");
        await new AccountStore(_destino.Database).AddAsync("bea@destino.test", ServerFixture.Password);
        var zone = new DnsZone().AddMx("destino.test", 10, "mx.destino.test").AddA("mx.destino.test", "127.0.0.1")
            .AddMx("origen.test", 10, "mx.origen.test").AddA("mx.origen.test", "127.0.0.1");
        _dns = await LoopbackDnsServer.StartAsync(zone);
        _origen = await EstafetaHost.StartAsync(ServerFixture.Settings(_origenData, new()
        {
            ["hostname"] = "mx.origen.test",
            ["dns"] = _dns.EndPoint.ToString(),
            ["mx-port"] = _destino.Endpoints["smtp"].Port.ToString(CultureInfo.InvariantCulture),
        }), LoggerFactory.Create(_ => { }));
        await new DomainStore(_origen.Database).AddAsync("origen.test");
        await new AccountStore(_origen.Database).AddAsync("ana@origen.test", ServerFixture.Password);
    }

    public async Task DisposeAsync()
    {
        await _origen.DisposeAsync();
        await _destino.DisposeAsync();
        await _dns.DisposeAsync();
        foreach (var d in new[] { _origenData, _destinoData }) try { Directory.Delete(d, true); } catch (IOException) { }
    }

    [Fact]
    public async Task Submitted_mail_travels_through_dns_to_the_other_servers_mailbox()
    {
        using (var smtp = await MailClients.SmtpAsync(_origen.Endpoints["submission"], SecureSocketOptions.StartTls, "ana@origen.test"))
            await smtp.SendAsync(Messages.Simple("ana@origen.test", "bea@destino.test", "viaje", "Hola Bea.\r\n"));

        var arrived = await WaitForMailAsync("bea@destino.test", 1);
        var message = MimeMessage.Load(new MemoryStream(arrived[0]));
        Assert.Equal("viaje", message.Subject);
        Assert.Equal("<ana@origen.test>", message.Headers["Return-Path"]);
        Assert.Single(message.Headers, h => h.Field == "Return-Path");
        await WaitForEventAsync("bea@destino.test", OutboundEventKind.Delivered);
        Assert.Empty(await new OutboundQueueStore(_origen.Database).ListAsync());
    }

    [Fact]
    public async Task Platform_mail_bounces_come_back_to_the_verp_address_and_become_events()
    {
        var content = System.Text.Encoding.UTF8.GetBytes("From: Noticias <noticias@origen.test>\r\nTo: bea@destino.test\r\nSubject: boletin\r\nMessage-ID: <boletin-1@origen.test>\r\n\r\nNovedades.\r\n");
        await _origen.Engine.SubmitAsync(new LocalSubmission("noticias@origen.test", ["bea@destino.test", "nadie@destino.test"], content));
        _origen.Outbound.Wake();

        var unknown = await WaitForEventAsync("nadie@destino.test", OutboundEventKind.Bounced);
        Assert.Equal(("hard", "smtp", "5.1.1"), (unknown.BounceClass, unknown.Source, unknown.Status));
        var stored = MimeMessage.Load(new MemoryStream((await WaitForMailAsync("bea@destino.test", 1))[0]));
        var returnPath = (stored.Headers["Return-Path"] ?? "").Trim('<', '>', ' ');
        Assert.StartsWith("bounce+", returnPath);

        var dsn = Estafeta.Mail.Outbound.DsnBuilder.Build("mx.destino.test", returnPath, null, DateTimeOffset.UtcNow, DateTimeOffset.UtcNow,
            [new Estafeta.Mail.Outbound.DsnRecipient("bea@destino.test", null, "failed", "5.2.2", "mx.destino.test", "552 5.2.2 mailbox full", DateTimeOffset.UtcNow)],
            new MemoryStream(System.Text.Encoding.UTF8.GetBytes(stored.ToString())), "HDRS", 1000);
        using (var smtp = await MailClients.SmtpAsync(_origen.Endpoints["smtp"], SecureSocketOptions.None))
            await smtp.SendAsync(MimeMessage.Load(new MemoryStream(dsn)), new MailboxAddress("", ""), [new MailboxAddress("", returnPath)]);

        var bounce = await WaitForEventAsync("bea@destino.test", OutboundEventKind.Bounced);
        Assert.Equal(("mailbox_full", "dsn", "boletin-1@origen.test"), (bounce.BounceClass, bounce.Source, bounce.MessageId));

        var arf = $"From: fbl@isp.test\r\nTo: abuse@origen.test\r\nSubject: complaint\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=feedback-report; boundary=\"p\"\r\n\r\n--p\r\nContent-Type: text/plain\r\n\r\nabuse report\r\n--p\r\nContent-Type: message/feedback-report\r\n\r\nFeedback-Type: abuse\r\nUser-Agent: isp/1\r\nVersion: 1\r\n\r\n--p\r\nContent-Type: text/rfc822-headers\r\n\r\nReturn-Path: <{returnPath}>\r\nMessage-ID: <boletin-1@origen.test>\r\nTo: bea@destino.test\r\n\r\n--p--\r\n";
        using (var smtp = await MailClients.SmtpAsync(_origen.Endpoints["smtp"], SecureSocketOptions.None))
            await smtp.SendAsync(MimeMessage.Load(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(arf))), new MailboxAddress("", "fbl@isp.test"), [new MailboxAddress("", "abuse@origen.test")]);
        var complaint = await WaitForEventAsync("bea@destino.test", OutboundEventKind.Complained);
        Assert.Equal("arf", complaint.Source);
    }

    private async Task<List<byte[]>> WaitForMailAsync(string login, int count)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var mail = await MailClients.RetrieveAllAsync(_destino.Endpoints["pop3"], login);
            if (mail.Count >= count) return mail;
            await Task.Delay(100, timeout.Token);
        }
    }

    private async Task<OutboundEvent> WaitForEventAsync(string address, OutboundEventKind kind)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (true)
        {
            var found = (await new OutboundEventStore(_origen.Database).ListAsync(address)).FirstOrDefault(e => e.Kind == kind);
            if (found is not null) return found;
            await Task.Delay(50, timeout.Token);
        }
    }
}
