using System.IO.Compression;
using System.Text;
using Estafeta.MailAuth.TlsRpt;
using MimeKit;

namespace Estafeta.MailAuth.Tests.TlsRpt;

public sealed class TlsReportReaderTests
{
    /// <summary>The example report of RFC 8460 §4.6 (the additional-information URI on one line).</summary>
    public const string Rfc8460Example = """
        {
          "organization-name": "Company-X",
          "date-range": {
            "start-datetime": "2016-04-01T00:00:00Z",
            "end-datetime": "2016-04-01T23:59:59Z"
          },
          "contact-info": "sts-reporting@company-x.example",
          "report-id": "5065427c-23d3-47ca-b6e0-946ea0e8c4be",
          "policies": [{
            "policy": {
              "policy-type": "sts",
              "policy-string": ["version: STSv1","mode: testing",
                    "mx: *.mail.company-y.example","max_age: 86400"],
              "policy-domain": "company-y.example",
              "mx-host": "*.mail.company-y.example"
            },
            "summary": {
              "total-successful-session-count": 5326,
              "total-failure-session-count": 303
            },
            "failure-details": [{
              "result-type": "certificate-expired",
              "sending-mta-ip": "2001:db8:abcd:0012::1",
              "receiving-mx-hostname": "mx1.mail.company-y.example",
              "failed-session-count": 100
            }, {
              "result-type": "starttls-not-supported",
              "sending-mta-ip": "2001:db8:abcd:0013::1",
              "receiving-mx-hostname": "mx2.mail.company-y.example",
              "receiving-ip": "203.0.113.56",
              "failed-session-count": 200,
              "additional-information": "https://reports.company-x.example/report_info?id=5065427c-23d3#StarttlsNotSupported"
            }, {
              "result-type": "validation-failure",
              "sending-mta-ip": "198.51.100.62",
              "receiving-ip": "203.0.113.58",
              "receiving-mx-hostname": "mx-backup.mail.company-y.example",
              "failed-session-count": 3,
              "failure-reason-code": "X509_V_ERR_PROOF_OF_POSSESSION"
            }]
          }]
        }
        """;

    public static byte[] Gzip(byte[] data)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Optimal, leaveOpen: true)) gz.Write(data);
        return output.ToArray();
    }

    /// <summary>A report mail as RFC 8460 §5.3 describes it, with the attachment type given.</summary>
    public static byte[] ReportMail(byte[] attachment, string mediaType, string subtype, string fileName)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("tlsrpt@company-x.example"));
        message.To.Add(MailboxAddress.Parse("tls-reports@company-y.example"));
        message.Subject = "Report Domain: company-y.example Submitter: company-x.example Report-ID: <5065427c>";
        message.Headers.Add("TLS-Report-Domain", "company-y.example");
        message.Headers.Add("TLS-Report-Submitter", "company-x.example");
        message.Body = new MultipartReport("tlsrpt")
        {
            new TextPart("plain") { Text = "This is an aggregate TLS report.\r\n" },
            new MimePart(mediaType, subtype) { Content = new MimeContent(new MemoryStream(attachment)), ContentTransferEncoding = ContentEncoding.Base64, FileName = fileName },
        };
        using var output = new MemoryStream();
        message.WriteTo(output);
        return output.ToArray();
    }

    [Fact]
    public void The_rfc_8460_example_report_is_read_field_by_field()
    {
        var result = TlsReportReader.Read(Encoding.UTF8.GetBytes(Rfc8460Example));

        Assert.True(result.Success, result.Error);
        var report = result.Report!;
        Assert.Equal("Company-X", report.OrganizationName);
        Assert.Equal("5065427c-23d3-47ca-b6e0-946ea0e8c4be", report.ReportId);
        Assert.Equal(new DateTimeOffset(2016, 4, 1, 0, 0, 0, TimeSpan.Zero), report.Begin);
        Assert.Equal(new DateTimeOffset(2016, 4, 1, 23, 59, 59, TimeSpan.Zero), report.End);
        Assert.Equal("sts-reporting@company-x.example", report.ContactInfo);
        var policy = Assert.Single(report.Policies);
        Assert.Equal("sts", policy.PolicyType);
        Assert.Equal("company-y.example", policy.PolicyDomain);
        Assert.Equal(4, policy.PolicyStrings.Count);
        Assert.Equal(["*.mail.company-y.example"], policy.MxHosts);
        Assert.Equal(5326, policy.SuccessfulSessions);
        Assert.Equal(303, policy.FailedSessions);
        Assert.Equal(["certificate-expired", "starttls-not-supported", "validation-failure"], policy.FailureDetails.Select(d => d.ResultType));
        var last = policy.FailureDetails[2];
        Assert.Equal("198.51.100.62", last.SendingMtaIp);
        Assert.Equal("203.0.113.58", last.ReceivingIp);
        Assert.Equal(3, last.FailedSessions);
        Assert.Equal("X509_V_ERR_PROOF_OF_POSSESSION", last.FailureReasonCode);
        Assert.Equal("json", result.Container);
    }

    [Theory]
    [InlineData("application", "tlsrpt+gzip", "company-x.example!company-y.example!1459468800!1459555199.json.gz", true)]
    [InlineData("application", "tlsrpt+json", "report.json", false)]
    [InlineData("application", "gzip", "report.json.gz", true)]
    [InlineData("application", "json", "report.json", false)]
    [InlineData("application", "octet-stream", "report.json.gz", true)]
    [InlineData("application", "octet-stream", "report.json", false)]
    public void A_report_mail_is_read_whether_the_attachment_is_labelled_as_the_rfc_says_or_loosely(string type, string subtype, string name, bool gzip)
    {
        var json = Encoding.UTF8.GetBytes(Rfc8460Example);
        var result = TlsReportReader.Read(ReportMail(gzip ? Gzip(json) : json, type, subtype, name));

        Assert.True(result.Success, result.Error);
        Assert.Equal(gzip ? "eml > gzip > json" : "eml > json", result.Container);
        Assert.Equal("company-x.example", result.Report!.SubmitterHeader);
        Assert.Equal("company-x.example", result.Report.Submitter);
        Assert.Equal("company-y.example", result.Report.ReportDomainHeader);
    }

    [Fact]
    public void Without_a_submitter_field_the_organization_name_identifies_the_report()
    {
        var report = TlsReportReader.Read(Gzip(Encoding.UTF8.GetBytes(Rfc8460Example))).Report!;
        Assert.Equal("Company-X", report.Submitter);
    }

    [Fact]
    public void Unknown_fields_any_order_any_case_and_counts_written_as_strings_are_accepted()
    {
        var json = """
            {"extra": {"nested": [1, 2]}, "Policies": [{"summary": {"total-failure-session-count": "2", "total-successful-session-count": 7},
              "policy": {"policy-domain": "Ejemplo.TEST.", "policy-type": "no-policy-found", "unknown": true}}],
             "REPORT-ID": "r1", "date-range": {"end-datetime": "2026-11-02T00:00:00Z", "start-datetime": "2026-11-01T00:00:00Z"},
             "organization-name": "Org"}
            """;
        var result = TlsReportReader.Read(Encoding.UTF8.GetBytes(json));

        Assert.True(result.Success, result.Error);
        var policy = Assert.Single(result.Report!.Policies);
        Assert.Equal("ejemplo.test", policy.PolicyDomain);
        Assert.Equal(2, policy.FailedSessions);
        Assert.Equal(7, policy.SuccessfulSessions);
        Assert.Contains(result.Report.Warnings, w => w.Contains("as a string", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("not json at all {", "not JSON, gzip or an e-mail message")]
    [InlineData("{\"policies\": [", "not valid JSON")]
    [InlineData("[1, 2]", "not an object")]
    [InlineData("{\"organization-name\": \"X\", \"date-range\": {\"start-datetime\": \"2026-11-01T00:00:00Z\", \"end-datetime\": \"2026-11-02T00:00:00Z\"}, \"policies\": []}", "no report-id")]
    [InlineData("{\"report-id\": \"r\", \"policies\": []}", "no date-range")]
    [InlineData("{\"report-id\": \"r\", \"date-range\": {\"start-datetime\": \"yesterday\", \"end-datetime\": \"2026-11-02T00:00:00Z\"}, \"policies\": []}", "is not a date and time")]
    [InlineData("{\"report-id\": \"r\", \"date-range\": {\"start-datetime\": \"2026-11-01T00:00:00Z\", \"end-datetime\": \"2026-11-02T00:00:00Z\"}}", "no policies array")]
    [InlineData("{\"report-id\": \"r\", \"date-range\": {\"start-datetime\": \"2026-11-01T00:00:00Z\", \"end-datetime\": \"2026-11-02T00:00:00Z\"}, \"policies\": [{\"policy\": {\"policy-type\": \"sts\"}}]}", "policies[1] has no policy-domain")]
    [InlineData("{\"report-id\": \"r\", \"date-range\": {\"start-datetime\": \"2026-11-01T00:00:00Z\", \"end-datetime\": \"2026-11-02T00:00:00Z\"}, \"policies\": [{\"policy\": {\"policy-domain\": \"a.test\"}, \"summary\": {\"total-successful-session-count\": -5}}]}", "outside 0 to")]
    [InlineData("{\"report-id\": \"r\", \"date-range\": {\"start-datetime\": \"2026-11-01T00:00:00Z\", \"end-datetime\": \"2026-11-02T00:00:00Z\"}, \"policies\": [{\"policy\": {\"policy-domain\": \"a.test\"}, \"summary\": {\"total-successful-session-count\": 1.5}}]}", "not a whole number")]
    public void Unusable_reports_are_refused_with_a_clear_error(string input, string error)
    {
        var result = TlsReportReader.Read(Encoding.UTF8.GetBytes(input));

        Assert.False(result.Success);
        Assert.Contains(error, result.Error, StringComparison.Ordinal);
    }

    /// <summary>JSON may escape half a surrogate pair; reading such a string, or a member name so written before one
    /// looked up, threw InvalidOperationException out of the reader.</summary>
    [Fact]
    public void A_lone_surrogate_escape_in_a_value_is_the_reports_error_and_in_a_name_is_an_unknown_member()
    {
        var inValue = TlsReportReader.Read(Encoding.UTF8.GetBytes(Rfc8460Example.Replace("\"Company-X\"", "\"Company-\\ud800X\"", StringComparison.Ordinal)));
        Assert.False(inValue.Success);
        Assert.Equal("organization-name holds a \\u escape of half a surrogate pair, which is no character", inValue.Error);

        var inName = TlsReportReader.Read(Encoding.UTF8.GetBytes(Rfc8460Example.Replace("\"organization-name\"", "\"x\\udc00\": 1, \"organization-name\"", StringComparison.Ordinal)));
        Assert.True(inName.Success, inName.Error);
        Assert.Equal("Company-X", inName.Report!.OrganizationName);
    }

    [Fact]
    public void The_layers_of_a_nested_report_share_one_expansion_limit()
    {
        // Gzipped twice, each layer under the limit, the two together over it (see the aggregate report's test).
        var padding = Convert.ToBase64String(new Random(7).GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 600_000));
        var padded = Encoding.UTF8.GetBytes(Rfc8460Example.Replace("\"organization-name\"", $"\"padding\": \"{padding}\", \"organization-name\"", StringComparison.Ordinal));
        var twice = Gzip(Gzip(padded));

        var refused = TlsReportReader.Read(twice, 1_000_000);
        Assert.False(refused.Success);
        Assert.Equal("the report expands to more than 1000000 bytes with the archives it is nested in", refused.Error);

        var read = TlsReportReader.Read(twice, 2_000_000);
        Assert.True(read.Success, read.Error);
        Assert.Equal("Company-X", read.Report!.OrganizationName);
    }

    [Fact]
    public void A_gzip_bomb_is_refused_once_it_expands_past_the_limit()
    {
        var bomb = Gzip(new byte[TlsReportReader.MaxDecompressedBytes + 1024 * 1024]);
        Assert.True(bomb.Length < 100_000);

        var result = TlsReportReader.Read(ReportMail(bomb, "application", "tlsrpt+gzip", "bomb.json.gz"));

        Assert.False(result.Success);
        Assert.Contains("expands to more than", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Too_many_policies_or_failure_details_and_overlong_strings_are_refused()
    {
        static string Report(string policies) =>
            "{\"report-id\": \"r\", \"date-range\": {\"start-datetime\": \"2026-11-01T00:00:00Z\", \"end-datetime\": \"2026-11-02T00:00:00Z\"}, \"policies\": [" + policies + "]}";
        var policy = "{\"policy\": {\"policy-domain\": \"a.test\", \"policy-type\": \"sts\"}, \"summary\": {\"total-successful-session-count\": 1, \"total-failure-session-count\": 0}}";
        var many = TlsReportReader.Read(Encoding.UTF8.GetBytes(Report(string.Join(',', Enumerable.Repeat(policy, TlsReportJsonParser.MaxPolicies + 1)))));
        Assert.Contains("more than 1000", many.Error, StringComparison.Ordinal);

        var detail = "{\"result-type\": \"certificate-expired\", \"failed-session-count\": 1}";
        var details = "{\"policy\": {\"policy-domain\": \"a.test\"}, \"failure-details\": [" + string.Join(',', Enumerable.Repeat(detail, TlsReportJsonParser.MaxFailureDetails + 1)) + "]}";
        var manyDetails = TlsReportReader.Read(Encoding.UTF8.GetBytes(Report(details)));
        Assert.Contains("more than 10000 failure-details", manyDetails.Error, StringComparison.Ordinal);

        var longName = TlsReportReader.Read(Encoding.UTF8.GetBytes(Report("{\"policy\": {\"policy-domain\": \"" + new string('a', 5000) + "\"}}")));
        Assert.Contains("more than 2048", longName.Error, StringComparison.Ordinal);

        var deep = TlsReportReader.Read(Encoding.UTF8.GetBytes("{\"report-id\": " + new string('[', 100) + new string(']', 100) + "}"));
        Assert.False(deep.Success);
    }

    [Fact]
    public void A_mail_without_a_report_attachment_and_a_zip_archive_are_refused()
    {
        var mail = Encoding.ASCII.GetBytes("From: a@b.test\r\nTo: tls-reports@c.test\r\nSubject: hola\r\n\r\nHola.\r\n");
        Assert.Contains("no report attachment", TlsReportReader.Read(mail).Error, StringComparison.Ordinal);
        Assert.Contains("zip archive", TlsReportReader.Read([.. "PK\u0003\u0004"u8, 0, 0, 0]).Error, StringComparison.Ordinal);
        Assert.Contains("empty", TlsReportReader.Read([]).Error, StringComparison.Ordinal);
    }

    [Fact]
    public void The_summary_counts_sessions_and_failure_types_with_their_sending_mtas()
    {
        var report = TlsReportReader.Read(Encoding.UTF8.GetBytes(Rfc8460Example)).Report!;
        var summary = Assert.Single(TlsReportSummary.Summarize([report]));

        Assert.Equal("company-y.example", summary.PolicyDomain);
        Assert.Equal(5326, summary.SuccessfulSessions);
        Assert.Equal(303, summary.FailedSessions);
        Assert.Equal("starttls-not-supported", summary.Failures[0].ResultType);
        Assert.Equal(200, summary.Failures[0].Sessions);
        Assert.Equal("2001:db8:abcd:0013::1", Assert.Single(summary.Failures[0].SendingMtas).SendingMtaIp);
        Assert.Equal(["Company-X"], summary.Organizations);
    }

    [Theory]
    [InlineData("v=TLSRPTv1; rua=mailto:tls-reports@ejemplo.test", true, "tls-reports@ejemplo.test")]
    [InlineData("v=TLSRPTv1;rua=mailto:a@x.test,https://reports.x.test/tls", true, "a@x.test")]
    [InlineData("v=TLSRPTv1;", false, "")]
    [InlineData("v=TLSRPTv1; rua=tls@x.test", false, "")]
    public void The_tlsrpt_record_is_parsed(string text, bool valid, string mailto)
    {
        Assert.True(TlsRptRecord.LooksLikeTlsRpt(text));
        Assert.Equal(valid, TlsRptRecord.TryParse(text, out var record, out _));
        if (valid) Assert.Equal(mailto, record!.MailtoAddresses[0]);
    }
}
