using System.IO.Compression;
using System.Text;
using Estafeta.MailAuth.Dmarc;
using Estafeta.MailAuth.Dmarc.Reports;
using Estafeta.MailAuth.TlsRpt;
using Estafeta.Testing;

namespace Estafeta.MailAuth.Tests.Fuzz;

/// <summary>DMARC records, Authentication-Results fields, TLS-RPT records and the aggregate and TLS report
/// readers over random, mutated, truncated, oversized and hostile input (entity expansion, deep nesting,
/// compression bombs): each gives a value or a clear error and never throws.</summary>
public sealed class ReportFuzzTests
{
    private const string AggregateXml = """
        <?xml version="1.0" encoding="UTF-8"?>
        <feedback xmlns="urn:ietf:params:xml:ns:dmarc-2.0">
          <version>1.0</version>
          <report_metadata>
            <org_name>example.net</org_name>
            <email>dmarc@example.net</email>
            <report_id>r-1</report_id>
            <date_range><begin>1700000000</begin><end>1700086400</end></date_range>
            <error>none</error>
          </report_metadata>
          <policy_published>
            <domain>example.com</domain><adkim>r</adkim><aspf>s</aspf><p>reject</p><sp>none</sp><np>quarantine</np><pct>100</pct><testing>n</testing>
          </policy_published>
          <extensions><extension name="x" definition="https://example.com/x"/></extensions>
          <record>
            <row>
              <source_ip>192.0.2.1</source_ip><count>3</count>
              <policy_evaluated><disposition>none</disposition><dkim>pass</dkim><spf>fail</spf><reason><type>forwarded</type><comment>list</comment></reason></policy_evaluated>
            </row>
            <identifiers><header_from>example.com</header_from><envelope_from>example.com</envelope_from></identifiers>
            <auth_results><dkim><domain>example.com</domain><selector>s</selector><result>pass</result></dkim><spf><domain>example.com</domain><scope>mfrom</scope><result>fail</result></spf></auth_results>
          </record>
          <record>
            <row><source_ip>2001:db8::1</source_ip><count>9</count><policy_evaluated><disposition>reject</disposition><dkim>fail</dkim><spf>fail</spf></policy_evaluated></row>
            <identifiers><header_from>example.com</header_from></identifiers>
          </record>
        </feedback>
        """;

    private const string TlsJson = """
        {"organization-name":"Example","date-range":{"start-datetime":"2025-01-01T00:00:00Z","end-datetime":"2025-01-01T23:59:59Z"},
         "contact-info":"tls@example.net","report-id":"r-1",
         "policies":[{"policy":{"policy-type":"sts","policy-string":["version: STSv1","mode: enforce"],"policy-domain":"example.com","mx-host":["mx.example.com"]},
           "summary":{"total-successful-session-count":10,"total-failure-session-count":2},
           "failure-details":[{"result-type":"certificate-expired","sending-mta-ip":"192.0.2.1","receiving-mx-hostname":"mx.example.com","failed-session-count":2}]}]}
        """;

    private static readonly string[] XmlTokens =
    [
        "<", ">", "</", "/>", "<record>", "</record>", "<row>", "<count>", "</count>", "<count>-1</count>", "<count>1.5</count>",
        "<count>99999999999999999999.5</count>", "<count>9223372036854775807</count>", "<count>1e400</count>", "<begin>-99999999999999</begin>",
        "<end>99999999999999999999</end>", "&amp;", "&lt;", "&#0;", "&#x10FFFF;", "&#xD800;", "&foo;", "<![CDATA[x]]>", "<!-- c -->",
        "<!DOCTYPE feedback [<!ENTITY a \"aaaa\">]>", "<?pi x?>", "xmlns:a=\"u\"", "<a:b>", "\"", "'", "\u00e9", "\ufffd", "\0", "\u00ff",
        "<?xml version=\"1.0\" encoding=\"utf-16\"?>", "<?xml version=\"1.0\" encoding=\"iso-8859-1\"?>", "<?xml version=\"1.0\" encoding=\"nope\"?>",
        "<?xml version=\"1.0\" encoding=\"utf-7\"?>", "<?xml version=\"1.0\" encoding=\"utf-32\"?>", "<?xml encoding=\"ibm037\"?>",
    ];

    private static readonly string[] JsonTokens =
    [
        "{", "}", "[", "]", ",", ":", "\"", "null", "true", "-1", "1e400", "9223372036854775808", "1.5", "\"10\"", "\"report-id\"",
        "\"policies\"", "\"date-range\"", "\"2025-13-01T00:00:00Z\"", "\"failure-details\"", "\"summary\"", "\\u0000", "\\ud800", "//c\n", "/*",
    ];

    private static readonly string[] RecordTokens =
    [
        ";", "=", " ", "v=DMARC1", "p=reject", "p=none", "sp=", "np=", "psd=y", "psd=n", "psd=u", "t=y", "t=n", "adkim=s", "aspf=r", "pct=50",
        "rua=mailto:a@example.com", "ruf=mailto:b@example.com!10m", ",", "!", "mailto:", "%", "fo=1:d:s", "rf=afrf", "ri=86400", "\u00e9",
        "\t", "\r\n", "v=TLSRPTv1", "rua=https://example.com/r", "rua=mailto:tls@example.com",
    ];

    [Fact]
    public void Dmarc_and_tls_rpt_records_of_any_text_parse_or_give_a_position_and_reason()
    {
        var bases = new[]
        {
            "v=DMARC1; p=reject; sp=quarantine; np=reject; psd=n; t=n; adkim=s; aspf=r; rua=mailto:a@example.com,mailto:b@example.net!10m; ruf=mailto:f@example.com; fo=1",
            "v=DMARC1; p=none", "v=DMARC1;p=quarantine;pct=50;rua=mailto:x@y.example", "v=TLSRPTv1; rua=mailto:tls@example.com,https://example.com/tls",
        };
        Fuzzing.Run(9989, 3000, r => Fuzzing.Show(RecordText(r, bases)), random =>
        {
            var text = RecordText(random, bases);
            if (DmarcRecord.TryParse(text, out var record, out var error))
            {
                Assert.NotNull(record);
                Assert.Null(error);
                _ = record.ToString();
            }
            else
            {
                Assert.NotNull(error);
                Assert.InRange(error.Position, 0, text.Length);
                Assert.False(string.IsNullOrWhiteSpace(error.Message));
            }

            _ = DmarcRecord.LooksLikeDmarc(text);
            if (TlsRptRecord.TryParse(text, out var tls, out var tlsError))
            {
                Assert.NotEmpty(tls!.ReportUris);
                _ = tls.MailtoAddresses;
                _ = tls.UnsupportedUris;
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(tlsError));
            }
        });
    }

    private static string RecordText(Random random, string[] bases) =>
        random.Chance(0.05) ? random.Word(40) : random.Chance(0.02) ? string.Concat(Enumerable.Repeat(random.Pick(bases) + ";", 2000)) : random.Mutate(random.Pick(bases), RecordTokens);

    [Fact]
    public void Authentication_results_of_any_text_parse_or_give_a_reason_and_what_parses_is_written_back_the_same()
    {
        var bases = new[]
        {
            "mx.example.net; spf=pass smtp.mailfrom=example.com; dkim=pass (good) header.d=example.com header.s=sel header.b=\"AbC/+d\"; dmarc=fail reason=\"p=reject\" header.from=example.com",
            "i=2; relay.example.net 1; arc=pass (\"nested (comment) \\\\)\"); iprev=fail policy.iprev=192.0.2.1",
            "example.org; none", "mx; auth=pass smtp.auth=joe@example.com; spf=none smtp.helo=\"mail example\"",
        };
        var tokens = new[] { ";", "=", " ", "(", ")", "\\", "\"", ".", "/", "1", "i=1;", "none", "pass", "reason=", "header.d=", "@", "\r\n ", "\u00e9", "\0" };
        Fuzzing.Run(8601, 3000, r => Fuzzing.Show(r.Mutate(r.Pick(bases), tokens)), random =>
        {
            var text = random.Mutate(random.Pick(bases), tokens);
            foreach (var arc in (bool[])[false, true])
            {
                var parsed = arc ? AuthenticationResultsHeader.TryParseArc(text, out var header, out var error) : AuthenticationResultsHeader.TryParse(text, out header, out error);
                if (!parsed)
                {
                    Assert.False(string.IsNullOrWhiteSpace(error));
                    continue;
                }

                // What the parser read, written by the writer and read again, is the same header.
                var written = header!.ToValue();
                // The writer folds before each result; nothing else may break the line or end the field.
                Assert.DoesNotContain(written.Replace(";\r\n\t", "; ", StringComparison.Ordinal), c => c is < ' ' and not '\t' or '\x7f');
                var again = arc ? AuthenticationResultsHeader.TryParseArc(written, out var reread, out error) : AuthenticationResultsHeader.TryParse(written, out reread, out error);
                Assert.True(again, $"{Fuzzing.Show(written)}: {error}");
                Assert.Equal(Written(header.AuthservId), reread!.AuthservId);
                Assert.Equal(header.Results.Select(r => (r.Method, r.Result, r.Reason is null ? null : Written(r.Reason))), reread.Results.Select(r => (r.Method, r.Result, r.Reason)));
                Assert.Equal(header.Results.SelectMany(r => r.Properties).Select(p => p with { Value = Written(p.Value) }), reread.Results.SelectMany(r => r.Properties));
            }
        });
    }

    /// <summary>A value as the writer puts it in a quoted-string: control characters but HTAB as spaces.</summary>
    private static string Written(string value) => new([.. value.Select(c => c is < ' ' and not '\t' or '\x7f' ? ' ' : c)]);

    [Fact]
    public void Aggregate_reports_mutated_in_xml_gzip_zip_and_mail_give_a_report_or_a_clear_error()
    {
        Fuzzing.Run(9990, 600, r => Fuzzing.Show(AggregateInput(r)), random =>
        {
            var input = AggregateInput(random);
            var result = AggregateReportReader.Read(input);
            AssertClear(result);
            if (result.Report is { } report)
            {
                _ = AggregateReportSummary.Summarize([report, report]);
                _ = AggregateReportWriter.ToXml(report);
            }
        });
    }

    [Fact]
    public void Tls_reports_mutated_in_json_gzip_and_mail_give_a_report_or_a_clear_error()
    {
        Fuzzing.Run(8460, 1000, r => Fuzzing.Show(TlsInput(r)), random =>
        {
            var result = TlsReportReader.Read(TlsInput(random));
            Assert.True(result.Success ^ result.Error is not null, result.ToString());
            if (result.Report is { } report)
            {
                _ = TlsReportSummary.Summarize([report, report]);
            }
            else
            {
                Assert.False(string.IsNullOrWhiteSpace(result.Error));
            }
        });
    }

    /// <summary>Hostile XML: entity expansion through a DTD, external entities, elements nested far beyond any
    /// report, in the places the parser reads text from.</summary>
    [Theory]
    [InlineData("entities")]
    [InlineData("external")]
    [InlineData("deep-root")]
    [InlineData("deep-text")]
    [InlineData("deep-record")]
    [InlineData("deep-extension")]
    [InlineData("wide")]
    public void Hostile_aggregate_xml_is_refused_or_read_without_blowing_up(string kind)
    {
        const int depth = 200_000;
        var deep = string.Concat(Enumerable.Repeat("<a>", depth)) + "x" + string.Concat(Enumerable.Repeat("</a>", depth));
        var xml = kind switch
        {
            "entities" => "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY a \"aaaaaaaaaa\"><!ENTITY b \"&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;\">"
                + "<!ENTITY c \"&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;\"><!ENTITY d \"&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;\">]>"
                + AggregateXml[AggregateXml.IndexOf("<feedback", StringComparison.Ordinal)..].Replace("example.net</org_name>", "&d;&d;&d;</org_name>", StringComparison.Ordinal),
            "external" => "<?xml version=\"1.0\"?><!DOCTYPE feedback [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
                + AggregateXml[AggregateXml.IndexOf("<feedback", StringComparison.Ordinal)..].Replace("example.net</org_name>", "&e;</org_name>", StringComparison.Ordinal),
            "deep-root" => "<feedback>" + deep + "</feedback>",
            "deep-text" => AggregateXml.Replace("<org_name>example.net</org_name>", "<org_name>" + deep + "</org_name>", StringComparison.Ordinal),
            "deep-record" => AggregateXml.Replace("<source_ip>192.0.2.1</source_ip>", "<source_ip>" + deep + "</source_ip>", StringComparison.Ordinal),
            "deep-extension" => AggregateXml.Replace("<extensions>", "<extensions>" + deep, StringComparison.Ordinal),
            _ => AggregateXml.Replace("</feedback>", string.Concat(Enumerable.Repeat("<record><row><source_ip>192.0.2.9</source_ip></row></record>", 20_000)) + "</feedback>", StringComparison.Ordinal),
        };
        var before = GC.GetTotalAllocatedBytes();
        var result = AggregateReportReader.Read(Encoding.UTF8.GetBytes(xml));
        AssertClear(result);
        Assert.True(GC.GetTotalAllocatedBytes() - before < 2L * 1024 * 1024 * 1024, "more than 2 GiB allocated");
        if (kind is "entities" or "external")
        {
            Assert.False(result.Success, "a DTD is refused");
        }
    }

    /// <summary>A gzip member, a zip entry and nested archives that expand far beyond their size are refused
    /// at the limit, not read into memory whole.</summary>
    [Fact]
    public void Compression_bombs_are_refused_at_the_limit()
    {
        var zeros = new byte[1024 * 1024];
        using var compressed = new MemoryStream();
        using (var gzip = new GZipStream(compressed, CompressionLevel.SmallestSize, leaveOpen: true))
        {
            for (var i = 0; i < 300; i++) gzip.Write(zeros);
        }

        var result = AggregateReportReader.Read(compressed.ToArray());
        Assert.False(result.Success);
        Assert.Contains("expands to more than", result.Error, StringComparison.Ordinal);
        var tls = TlsReportReader.Read(compressed.ToArray());
        Assert.False(tls.Success);
        Assert.Contains("expands to more than", tls.Error, StringComparison.Ordinal);
    }

    private static void AssertClear(AggregateReportReadResult result)
    {
        Assert.True(result.Success ^ result.Error is not null, result.ToString());
        if (!result.Success)
        {
            Assert.False(string.IsNullOrWhiteSpace(result.Error));
            return;
        }

        var report = result.Report!;
        Assert.False(string.IsNullOrEmpty(report.Policy.Domain));
        Assert.All(report.Records, record => Assert.InRange(record.Count, 0, long.MaxValue));
    }

    private static byte[] AggregateInput(Random random)
    {
        var xml = random.Chance(0.85) ? random.Mutate(AggregateXml, XmlTokens) : AggregateXml;
        var bytes = random.Chance(0.1) ? Encoding.Latin1.GetBytes(xml) : Encoding.UTF8.GetBytes(xml);
        if (random.Chance(0.2)) bytes = random.Mutate(bytes);
        bytes = Wrap(random, bytes, "report.xml", "text/xml");
        return random.Chance(0.2) ? random.Mutate(bytes) : bytes;
    }

    private static byte[] TlsInput(Random random)
    {
        var json = random.Chance(0.9) ? random.Mutate(TlsJson, JsonTokens) : TlsJson;
        var bytes = Encoding.UTF8.GetBytes(json);
        bytes = Wrap(random, bytes, "report.json", "application/tlsrpt+json");
        return random.Chance(0.2) ? random.Mutate(bytes) : bytes;
    }

    /// <summary>The content as it is, gzipped, zipped, as a mail attachment, or several of these in turn.</summary>
    private static byte[] Wrap(Random random, byte[] content, string name, string type)
    {
        var layers = random.Next(3);
        for (var i = 0; i < layers; i++)
        {
            switch (random.Next(4))
            {
                case 0:
                    using (var output = new MemoryStream())
                    {
                        using (var gzip = new GZipStream(output, CompressionLevel.Fastest)) gzip.Write(content);
                        content = output.ToArray();
                    }

                    name += ".gz";
                    type = "application/gzip";
                    break;
                case 1:
                    using (var output = new MemoryStream())
                    {
                        using (var zip = new ZipArchive(output, ZipArchiveMode.Create))
                        {
                            using var entry = zip.CreateEntry(name).Open();
                            entry.Write(content);
                        }

                        content = output.ToArray();
                    }

                    name += ".zip";
                    type = "application/zip";
                    break;
                default:
                    var mail = new StringBuilder()
                        .Append("From: reports@example.net\r\nTo: dmarc@example.com\r\nSubject: Report\r\nTLS-Report-Domain: example.com\r\nTLS-Report-Submitter: example.net\r\n")
                        .Append("MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=tlsrpt; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nhello\r\n--b\r\n")
                        .Append("Content-Type: ").Append(type).Append("; name=\"").Append(name).Append("\"\r\nContent-Transfer-Encoding: base64\r\n")
                        .Append("Content-Disposition: attachment; filename=\"").Append(name).Append("\"\r\n\r\n")
                        .Append(Convert.ToBase64String(content, Base64FormattingOptions.InsertLineBreaks)).Append("\r\n--b--\r\n");
                    content = Encoding.ASCII.GetBytes(mail.ToString());
                    name = "report.eml";
                    type = "message/rfc822";
                    break;
            }
        }

        return content;
    }
}
