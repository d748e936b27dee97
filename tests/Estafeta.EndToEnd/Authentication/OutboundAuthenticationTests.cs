using MailKit.Security;
using MimeKit;
using Estafeta.MailAuth.Arc;
using Estafeta.MailAuth.Dkim;
using Estafeta.MailAuth.Dmarc.Reports;
using Estafeta.Mail.Authentication;
using Estafeta.Storage;
using static Estafeta.EndToEnd.Authentication.AuthenticationFlow;

namespace Estafeta.EndToEnd.Authentication;

public sealed class OutboundAuthenticationTests(AuthenticationFixture server) : IClassFixture<AuthenticationFixture>
{
    private async Task<byte[]> QueuedAsync(string subject)
    {
        foreach (var queued in await new OutboundQueueStore(server.Host.Database).ListAsync())
        {
            await using var content = server.Host.Engine.Blobs.OpenRead(queued.BlobHash);
            using var copy = new MemoryStream();
            await content.CopyToAsync(copy);
            if (Text(copy.ToArray()).Contains(subject, StringComparison.Ordinal)) return copy.ToArray();
        }
        throw new InvalidOperationException($"no queued message with the subject {subject}");
    }

    [Fact]
    public async Task A_submitted_message_to_a_remote_recipient_is_queued_with_both_signatures_verifying_against_the_published_records()
    {
        var subject = Unique("Propuesta");
        using (var smtp = await MailClients.SmtpAsync(server.Submission, SecureSocketOptions.StartTls, "ana@ejemplo.test"))
            await smtp.SendAsync(Messages.Simple("ana@ejemplo.test", "cliente@remoto.test", subject, "Le envío la propuesta.\r\n"));

        var queued = await QueuedAsync(subject);
        var results = await new DkimVerifier(server.Dns.CreateResolver()).VerifyAsync(queued);

        Assert.Equal(["rsa-sha256", "ed25519-sha256"], results.Select(r => r.Algorithm));
        Assert.All(results, r => Assert.Equal(DkimStatus.Pass, r.Status));
        Assert.All(results, r => Assert.Equal("ejemplo.test", r.Domain));
        var header = Messages.HeaderBlock(queued);
        Assert.True(header.IndexOf("Received:", StringComparison.Ordinal) < header.IndexOf("DKIM-Signature:", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Mail_forwarded_through_an_alias_to_a_remote_target_is_arc_sealed_by_the_forwarding_domain()
    {
        var subject = Unique("Reenviado");
        await SendMxAsync(server, server.Signed(Messages.Simple("news@remitente.test", "reenvio@ejemplo.test", subject, "Para reenviar.\r\n")));

        var queued = await QueuedAsync(subject);
        var arc = await new ArcVerifier(server.Dns.CreateResolver()).VerifyAsync(queued);

        Assert.Equal(ArcStatus.Pass, arc.Status);
        Assert.Equal("ejemplo.test", Assert.Single(arc.Sets).SealDomain);
        Assert.Contains("ARC-Authentication-Results: i=1; mx.ejemplo.test;", UnfoldedHeader(queued), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_aggregate_report_sent_to_the_domains_report_address_is_stored_and_summarised()
    {
        var report = AggregateReportBuilder.Build(
            new AggregateReportMetadata { OrgName = "receptor.test", Email = "noreply@receptor.test", ReportId = Guid.NewGuid().ToString("N"), Begin = DateTimeOffset.UtcNow.AddDays(-1), End = DateTimeOffset.UtcNow },
            new AggregateReportPolicy { Domain = "ejemplo.test" },
            [
                new DmarcReportOutcome { SourceIp = System.Net.IPAddress.Loopback, HeaderFrom = "ejemplo.test", SpfResult = "pass", Dmarc = MailAuth.Dmarc.DmarcStatus.Pass, SpfAligned = true, Disposition = MailAuth.Dmarc.DmarcPolicy.None },
                new DmarcReportOutcome { SourceIp = System.Net.IPAddress.Parse("192.0.2.66"), HeaderFrom = "ejemplo.test", SpfResult = "fail", Dmarc = MailAuth.Dmarc.DmarcStatus.Fail, Disposition = MailAuth.Dmarc.DmarcPolicy.None },
            ]);
        var mail = Messages.Simple("news@remitente.test", "dmarc-reports@ejemplo.test", Unique("Report Domain: ejemplo.test"), "");
        mail.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "Aggregate report.\r\n" },
            new MimePart("application", "gzip") { Content = new MimeContent(new MemoryStream(AggregateReportWriter.ToGzip(report))), FileName = "report.xml.gz", ContentTransferEncoding = ContentEncoding.Base64 },
        };
        await SendMxAsync(server, server.Signed(mail));

        var summary = Assert.Single(await server.Host.Engine.ReportIntake.SummaryAsync("ejemplo.test", default));
        Assert.Equal(2, summary.Messages);
        Assert.Equal(0.5, summary.DmarcPassRate);
        Assert.Equal("192.0.2.66", Assert.Single(summary.UnauthenticatedSources).SourceIp);
    }
}
