using System.IO.Compression;
using System.Text;
using System.Text.Json;
using MimeKit;
using static Estafeta.EndToEnd.Authentication.AuthenticationFlow;

namespace Estafeta.EndToEnd.Authentication;

public sealed class TlsReportIntakeTests(AuthenticationFixture server) : IClassFixture<AuthenticationFixture>
{
    private static byte[] Gzip(string json)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(Encoding.UTF8.GetBytes(json));
        return output.ToArray();
    }

    private static string ReportJson(string reportId, string policyDomain = "ejemplo.test") => $$"""
        {"organization-name": "Remitente", "contact-info": "tlsrpt@remitente.test", "report-id": "{{reportId}}",
         "date-range": {"start-datetime": "{{DateTime.UtcNow.AddDays(-1):yyyy-MM-dd}}T00:00:00Z", "end-datetime": "{{DateTime.UtcNow.AddDays(-1):yyyy-MM-dd}}T23:59:59Z"},
         "policies": [{
           "policy": {"policy-type": "sts", "policy-string": ["version: STSv1", "mode: testing", "mx: mx.ejemplo.test", "max_age: 604800"],
                      "policy-domain": "{{policyDomain}}", "mx-host": ["mx.ejemplo.test"]},
           "summary": {"total-successful-session-count": 120, "total-failure-session-count": 5},
           "failure-details": [
             {"result-type": "certificate-expired", "sending-mta-ip": "192.0.2.10", "receiving-mx-hostname": "mx.ejemplo.test", "failed-session-count": 4},
             {"result-type": "starttls-not-supported", "sending-mta-ip": "192.0.2.11", "receiving-mx-hostname": "mx.ejemplo.test", "receiving-ip": "127.0.0.1", "failed-session-count": 1}]
         }]}
        """;

    private MimeMessage ReportMail(string reportId, string to = "tls-reports@ejemplo.test", string policyDomain = "ejemplo.test")
    {
        var mail = Messages.Simple("tlsrpt@remitente.test", to, $"Report Domain: ejemplo.test Submitter: remitente.test Report-ID: <{reportId}>", "");
        mail.Headers.Add("TLS-Report-Domain", "ejemplo.test");
        mail.Headers.Add("TLS-Report-Submitter", "remitente.test");
        mail.Body = new MultipartReport("tlsrpt")
        {
            new TextPart("plain") { Text = "This is an aggregate TLS report from remitente.test.\r\n" },
            new MimePart("application", "tlsrpt+gzip")
            {
                Content = new MimeContent(new MemoryStream(Gzip(ReportJson(reportId, policyDomain)))), ContentTransferEncoding = ContentEncoding.Base64,
                FileName = $"remitente.test!ejemplo.test!{reportId}.json.gz",
            },
        };
        return server.Signed(mail);
    }

    [Fact]
    public async Task A_gzip_tls_report_sent_over_smtp_to_tls_reports_is_summarised_by_the_cli_and_a_duplicate_is_not_counted_twice()
    {
        var reportId = Guid.NewGuid().ToString("N");
        await SendMxAsync(server, ReportMail(reportId));
        await SendMxAsync(server, ReportMail(reportId));

        var json = await EstafetaProcess.RunAsync(null, "tlsrpt", "summary", "--domain", "ejemplo.test", "--since", "7d", "--json", "--data", server.DataDirectory);
        Assert.True(json.ExitCode == 0, json.Stderr);
        using var document = JsonDocument.Parse(json.Stdout);
        var summary = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal("ejemplo.test", summary.GetProperty("policyDomain").GetString());
        Assert.Equal(1, summary.GetProperty("reports").GetInt32());
        Assert.Equal(120, summary.GetProperty("successfulSessions").GetInt64());
        Assert.Equal(5, summary.GetProperty("failedSessions").GetInt64());
        var failure = summary.GetProperty("failures")[0];
        Assert.Equal("certificate-expired", failure.GetProperty("resultType").GetString());
        Assert.Equal(4, failure.GetProperty("sessions").GetInt64());
        Assert.Equal("192.0.2.10", failure.GetProperty("sendingMtas")[0].GetProperty("sendingMtaIp").GetString());

        var table = await EstafetaProcess.RunAsync(null, "tlsrpt", "summary", "--domain", "ejemplo.test", "--data", server.DataDirectory);
        Assert.True(table.ExitCode == 0, table.Stderr);
        Assert.Contains("ejemplo.test", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("Failures reported for ejemplo.test:", table.Stdout, StringComparison.Ordinal);
        Assert.Contains("192.0.2.11", table.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tls_report_sent_to_postmaster_under_the_former_record_is_summarised_and_still_reaches_the_postmaster_mailbox()
    {
        await EnsurePostmasterAsync();
        var reportId = Guid.NewGuid().ToString("N");
        var policyDomain = $"p{reportId[..8]}.ejemplo.test"; // its own policy domain: the fixture's server is shared by every test here
        var mail = ReportMail(reportId, "postmaster@ejemplo.test", policyDomain);
        await SendMxAsync(server, mail);

        Assert.Single(await InMailboxAsync(server, "postmaster@ejemplo.test", "INBOX", mail.Subject!));
        var summary = await SummaryAsync(policyDomain);
        Assert.Equal(1, summary.GetProperty("reports").GetInt32());
        Assert.Equal(5, summary.GetProperty("failedSessions").GetInt64());
    }

    [Fact]
    public async Task A_tls_report_to_postmaster_recognised_by_its_tlsrpt_json_part_alone_is_summarised_too()
    {
        await EnsurePostmasterAsync();
        var reportId = Guid.NewGuid().ToString("N");
        var policyDomain = $"p{reportId[..8]}.ejemplo.test";
        // No TLS-Report-* fields and multipart/mixed, as a sloppy reporter sends it: the application/tlsrpt+json part says what it is.
        var mail = Messages.Simple("tlsrpt@remitente.test", "postmaster@ejemplo.test", Unique("TLS report"), "");
        mail.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "TLS report attached.\r\n" },
            new MimePart("application", "tlsrpt+json")
            {
                Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(ReportJson(reportId, policyDomain)))),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = $"remitente.test!{policyDomain}!{reportId}.json",
            },
        };
        await SendMxAsync(server, server.Signed(mail));

        Assert.Single(await InMailboxAsync(server, "postmaster@ejemplo.test", "INBOX", mail.Subject!));
        Assert.Equal(1, (await SummaryAsync(policyDomain)).GetProperty("reports").GetInt32());
    }

    [Fact]
    public async Task Other_mail_to_postmaster_is_only_delivered_even_with_a_report_attached_as_plain_json()
    {
        await EnsurePostmasterAsync();
        var reportId = Guid.NewGuid().ToString("N");
        var policyDomain = $"p{reportId[..8]}.ejemplo.test";
        // A person forwarding a report: nothing in it says TLS report (RFC 8460 §5.3), so it is not read as one.
        var mail = Messages.Simple("ana@remitente.test", "postmaster@ejemplo.test", Unique("Fwd: what is this?"), "");
        mail.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "We got this, is it for you?\r\n" },
            new MimePart("application", "json")
            {
                Content = new MimeContent(new MemoryStream(Encoding.UTF8.GetBytes(ReportJson(reportId, policyDomain)))),
                ContentTransferEncoding = ContentEncoding.Base64,
                FileName = "report.json",
            },
        };
        await SendMxAsync(server, server.Signed(mail));
        var plain = server.Signed(Messages.Simple("ana@remitente.test", "postmaster@ejemplo.test", Unique("Hola"), "Hola, postmaster.\r\n"));
        await SendMxAsync(server, plain);

        Assert.Single(await InMailboxAsync(server, "postmaster@ejemplo.test", "INBOX", mail.Subject!));
        Assert.Single(await InMailboxAsync(server, "postmaster@ejemplo.test", "INBOX", plain.Subject!));
        var json = await EstafetaProcess.RunAsync(null, "tlsrpt", "summary", "--domain", policyDomain, "--json", "--data", server.DataDirectory);
        Assert.True(json.ExitCode == 0, json.Stderr);
        using var document = JsonDocument.Parse(json.Stdout);
        Assert.Empty(document.RootElement.EnumerateArray());
    }

    private async Task EnsurePostmasterAsync()
    {
        var accounts = new Estafeta.Storage.AccountStore(server.Host.Database);
        if (await accounts.GetAsync("postmaster@ejemplo.test") is null) await accounts.AddAsync("postmaster@ejemplo.test", "una-clave-larga");
    }

    private async Task<JsonElement> SummaryAsync(string policyDomain)
    {
        var json = await EstafetaProcess.RunAsync(null, "tlsrpt", "summary", "--domain", policyDomain, "--json", "--data", server.DataDirectory);
        Assert.True(json.ExitCode == 0, json.Stderr);
        using var document = JsonDocument.Parse(json.Stdout);
        var summary = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal(policyDomain, summary.GetProperty("policyDomain").GetString());
        return summary.Clone();
    }

    [Fact]
    public async Task Mail_to_tls_reports_that_is_no_report_is_refused_and_the_verb_has_help()
    {
        var refused = await Assert.ThrowsAsync<MailKit.Net.Smtp.SmtpCommandException>(() =>
            SendMxAsync(server, server.Signed(Messages.Simple("news@remitente.test", "tls-reports@ejemplo.test", Unique("Hola"), "Hola.\r\n"))));
        Assert.Contains("Not a TLS report", refused.Message, StringComparison.Ordinal);

        var help = await EstafetaProcess.RunAsync(null, "tlsrpt", "summary", "--help");
        Assert.Contains("--since", help.Stdout, StringComparison.Ordinal);
    }
}
