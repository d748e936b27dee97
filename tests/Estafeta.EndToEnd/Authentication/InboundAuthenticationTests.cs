using System.Text.Json;
using MailKit.Net.Smtp;
using Estafeta.Mail.Authentication;
using Microsoft.Extensions.Logging.Abstractions;
using static Estafeta.EndToEnd.Authentication.AuthenticationFlow;

namespace Estafeta.EndToEnd.Authentication;

public sealed class InboundAuthenticationTests(AuthenticationFixture server) : IClassFixture<AuthenticationFixture>
{
    [Fact]
    public async Task Mail_signed_by_an_authorised_sender_gets_spf_dkim_and_dmarc_pass_in_one_authentication_results_field()
    {
        var subject = Unique("Boletín de noviembre");
        await SendMxAsync(server, server.Signed(Messages.Simple("news@remitente.test", "ana@ejemplo.test", subject, "Las novedades del mes.\r\n")));

        var stored = Assert.Single(await InMailboxAsync(server, "ana@ejemplo.test", "INBOX", subject));
        var header = UnfoldedHeader(stored);

        Assert.Single(header.Split("\r\n"), l => l.StartsWith("Authentication-Results:", StringComparison.Ordinal));
        Assert.Matches(@"Authentication-Results: mx\.ejemplo\.test; spf=pass [^\r]* smtp\.mailfrom=news@remitente\.test; dkim=pass [^\r]*header\.d=remitente\.test[^\r]*; dmarc=pass [^\r]*header\.from=remitente\.test", header);
        Assert.Contains("X-Estafeta-Spam: score=0.0; threshold=5.0; reasons=none", header, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_spoofed_from_under_a_reject_policy_is_refused_with_550_5_7_1()
    {
        var spoof = Messages.Simple("director@remitente.test", "ana@ejemplo.test", Unique("Transferencia urgente"), "Haga la transferencia hoy.\r\n");

        var e = await Assert.ThrowsAsync<SmtpCommandException>(() => SendMxAsync(server, spoof, envelopeFrom: "alguien@otro.test"));

        Assert.Equal(550, (int)e.StatusCode);
        Assert.Contains("5.7.1", e.Message, StringComparison.Ordinal);
        Assert.Contains("DMARC policy of remitente.test (p=reject)", e.Message, StringComparison.Ordinal);
        Assert.Empty(await InMailboxAsync(server, "ana@ejemplo.test", "INBOX", spoof.Subject!));
    }

    [Fact]
    public async Task Failing_mail_under_a_quarantine_policy_lands_in_junk()
    {
        var subject = Unique("Su paquete");
        await SendMxAsync(server, Messages.Simple("envios@cuarentena.test", "ana@ejemplo.test", subject, "Su paquete está en camino.\r\n"), envelopeFrom: "alguien@otro.test");

        var junk = Assert.Single(await InMailboxAsync(server, "ana@ejemplo.test", "Junk", subject));
        Assert.Empty(await InMailboxAsync(server, "ana@ejemplo.test", "INBOX", subject));
        Assert.Contains("DMARC_QUARANTINE(+5.0): DMARC fail for cuarentena.test, its policy says quarantine", UnfoldedHeader(junk), StringComparison.Ordinal);
        var pop3 = await MailClients.RetrieveAllAsync(server.Pop3, "ana@ejemplo.test");
        Assert.DoesNotContain(pop3, m => Text(m).Contains(subject, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Spam_phrases_land_in_junk_with_their_reasons()
    {
        var subject = Unique("¡GRATIS para usted!");
        var body = "Compra ahora: oferta por tiempo limitado. Haga clic AQUÍ.\r\n";
        await SendMxAsync(server, server.Signed(Messages.Simple("news@remitente.test", "ana@ejemplo.test", subject, body)));

        var junk = Assert.Single(await InMailboxAsync(server, "ana@ejemplo.test", "Junk", subject));
        var header = UnfoldedHeader(junk);
        Assert.Contains("X-Estafeta-Spam: score=6.0; threshold=5.0; reasons=", header, StringComparison.Ordinal);
        Assert.Contains("SPAM_PHRASE(+1.5): \"gratis\"", header, StringComparison.Ordinal);
        Assert.Contains("SPAM_PHRASE(+1.5): \"compra ahora\"", header, StringComparison.Ordinal);
        Assert.Contains("SPAM_PHRASE(+1.5): \"haga clic aqui\"", header, StringComparison.Ordinal);

        // The score and its reasons are stored with the message too, and `account messages` shows them.
        var listed = await EstafetaProcess.RunAsync(null, "account", "messages", "ana@ejemplo.test", "--mailbox", "Junk", "--json", "--data", server.DataDirectory);
        Assert.True(listed.ExitCode == 0, listed.Stderr);
        static List<string?> Reasons(JsonElement m) =>
            m.TryGetProperty("spamReasons", out var r) && r.ValueKind == JsonValueKind.Array ? [.. r.EnumerateArray().Select(e => e.GetString())] : [];
        var message = Assert.Single(JsonDocument.Parse(listed.Stdout).RootElement.EnumerateArray(), m => Reasons(m).Contains("SPAM_PHRASE(+1.5): \"gratis\""));
        Assert.Equal(6.0, message.GetProperty("spamScore").GetDouble());
        // The subject as people read it (the message carries it as RFC 2047 encoded-words).
        Assert.Equal(subject, message.GetProperty("subject").GetString());
        var reasons = Reasons(message);
        Assert.Contains("SPAM_PHRASE(+1.5): \"compra ahora\"", reasons);
        Assert.Contains("SPAM_PHRASE(+1.5): \"haga clic aqui\"", reasons);
        var table = await EstafetaProcess.RunAsync(null, "account", "messages", "ana@ejemplo.test", "--mailbox", "Junk", "--data", server.DataDirectory);
        Assert.Contains("SPAM_PHRASE(+1.5): \"gratis\"", table.Stdout, StringComparison.Ordinal);
        Assert.Contains(subject, table.Stdout, StringComparison.Ordinal);
        var missing = await EstafetaProcess.RunAsync(null, "account", "messages", "ana@ejemplo.test", "--mailbox", "Nada", "--data", server.DataDirectory);
        Assert.NotEqual(0, missing.ExitCode);
        Assert.Contains("has no mailbox", missing.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Outcomes_of_received_mail_become_the_daily_aggregate_report_to_the_senders_rua()
    {
        await SendMxAsync(server, server.Signed(Messages.Simple("news@remitente.test", "ana@ejemplo.test", Unique("Informe"), "Hola.\r\n")));

        var runs = await new DmarcReportSender(server.Host.Engine, NullLogger.Instance).SendAsync(DateOnly.FromDateTime(DateTime.UtcNow), default);

        var run = Assert.Single(runs, r => r.Domain == "remitente.test");
        Assert.Equal("queued", run.Outcome);
        Assert.Equal(["dmarc@remitente.test"], run.Destinations);
        Assert.NotNull(run.QueueId);
        Assert.True(run.Messages >= 1);
    }

    [Fact]
    public async Task A_report_asked_for_at_an_address_of_this_server_without_a_mailbox_is_not_sent_and_the_day_counts_as_done()
    {
        await SendMxAsync(server, Messages.Simple("news@sinbuzon.test", "ana@ejemplo.test", Unique("Informe sin buzón"), "Hola.\r\n"));
        var sender = new DmarcReportSender(server.Host.Engine, NullLogger.Instance);
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        var run = Assert.Single(await sender.SendAsync(today, default), r => r.Domain == "sinbuzon.test");

        Assert.Equal("every rua= address is an address of this server with no mailbox (nadie@ejemplo.test)", run.Outcome);
        Assert.Null(run.QueueId);
        Assert.Empty(run.Destinations);
        Assert.Equal("already sent", Assert.Single(await sender.SendAsync(today, default), r => r.Domain == "sinbuzon.test").Outcome);
    }
}
