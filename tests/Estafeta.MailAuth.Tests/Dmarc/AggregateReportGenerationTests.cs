using System.Net;
using System.Xml.Linq;
using System.Xml.Schema;
using Estafeta.MailAuth.Dmarc;
using Estafeta.MailAuth.Dmarc.Reports;
using Estafeta.Testing;
using MimeKit;

namespace Estafeta.MailAuth.Tests.Dmarc;

public sealed class AggregateReportGenerationTests
{
    private static readonly AggregateReportMetadata Metadata = new()
    {
        OrgName = "Estafeta at mx.estafeta.example",
        Email = "dmarc-reports@estafeta.example",
        ReportId = "2025-01-01.example.com.1",
        Begin = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero),
        End = new DateTimeOffset(2025, 1, 1, 23, 59, 59, TimeSpan.Zero),
        Generator = "Estafeta",
    };

    private static List<DmarcReportOutcome> Outcomes()
    {
        var good = new DmarcReportOutcome
        {
            SourceIp = IPAddress.Parse("192.0.2.1"),
            HeaderFrom = "example.com",
            EnvelopeFrom = "bounce.example.com",
            SpfResult = "pass",
            SpfDomain = "bounce.example.com",
            DkimResults = [new AggregateReportDkimResult("example.com", "s1", "pass")],
            Dmarc = DmarcStatus.Pass,
            DkimAligned = true,
            SpfAligned = true,
            Disposition = DmarcPolicy.None,
        };
        var forged = new DmarcReportOutcome
        {
            SourceIp = IPAddress.Parse("2001:db8::7"),
            HeaderFrom = "example.com",
            EnvelopeFrom = "spammer.example",
            SpfResult = "fail",
            SpfDomain = "spammer.example",
            Dmarc = DmarcStatus.Fail,
            Disposition = DmarcPolicy.Reject,
        };
        return [good, good, good with { }, forged, forged];
    }

    private static AggregateReport Report() => AggregateReportBuilder.Build(Metadata,
        new AggregateReportPolicy { Domain = "example.com", P = DmarcPolicy.Reject, Sp = DmarcPolicy.Quarantine, Adkim = DmarcAlignment.Relaxed, Aspf = DmarcAlignment.Relaxed, Testing = false, DiscoveryMethod = "treewalk", Fo = "0" },
        Outcomes());

    [Fact]
    public void Identical_outcomes_become_one_record_with_a_count()
    {
        var report = Report();
        Assert.Equal(2, report.Records.Count);
        Assert.Equal(3, report.Records[0].Count);
        Assert.Equal("pass", report.Records[0].Disposition);
        Assert.Equal(2, report.Records[1].Count);
        Assert.Equal("reject", report.Records[1].Disposition);
        Assert.Equal(5, report.MessageCount);
    }

    [Fact]
    public void The_layers_of_a_nested_report_share_one_expansion_limit()
    {
        // A report padded with text that hardly compresses (base64 of random octets), gzipped twice: each layer expands
        // to about 600-800 KB, under a 1 MB limit, the two together to more. With a limit per layer a report nested in N
        // archives could hold N times the limit in memory.
        var xml = System.Text.Encoding.UTF8.GetString(AggregateReportWriter.ToXml(Report()));
        var padding = Convert.ToBase64String(new Random(7).GetItems<byte>(Enumerable.Range(0, 256).Select(i => (byte)i).ToArray(), 600_000));
        var padded = System.Text.Encoding.UTF8.GetBytes(xml.Replace("<feedback", $"<!-- {padding} --><feedback", StringComparison.Ordinal));
        var twice = TlsRpt.TlsReportReaderTests.Gzip(TlsRpt.TlsReportReaderTests.Gzip(padded));
        Assert.InRange(TlsRpt.TlsReportReaderTests.Gzip(padded).Length, 500_000, 1_000_000);
        Assert.InRange(padded.Length, 500_000, 1_000_000);

        var refused = AggregateReportReader.Read(twice, 1_000_000);
        Assert.False(refused.Success);
        Assert.Equal("the report expands to more than 1000000 bytes with the archives it is nested in", refused.Error);

        var read = AggregateReportReader.Read(twice, 2_000_000);
        Assert.True(read.Success, read.Error);
        Assert.Equal("gzip > gzip > xml", read.Container);
    }

    [Fact]
    public void The_generated_gzip_report_parses_back_to_the_same_content()
    {
        var report = Report();
        var result = AggregateReportReader.Read(AggregateReportWriter.ToGzip(report));
        Assert.True(result.Success, result.Error);
        Assert.Equal("gzip > xml", result.Container);
        var back = result.Report!;
        Assert.Empty(back.Warnings);
        Assert.Equal(AggregateReportWriter.Namespace, back.Namespace);
        Assert.Equal(report.Metadata with { Errors = back.Metadata.Errors }, back.Metadata);
        Assert.Equal(report.Policy, back.Policy);
        Assert.Equal(report.Records.Count, back.Records.Count);
        for (var i = 0; i < report.Records.Count; i++)
        {
            var (a, b) = (report.Records[i], back.Records[i]);
            Assert.Equal((a.SourceIp, a.Count, a.Disposition, a.DkimEvaluated, a.SpfEvaluated, a.HeaderFrom, a.EnvelopeFrom),
                (b.SourceIp, b.Count, b.Disposition, b.DkimEvaluated, b.SpfEvaluated, b.HeaderFrom, b.EnvelopeFrom));
            Assert.Equal(a.DkimResults, b.DkimResults);
            Assert.Equal(a.SpfResults, b.SpfResults);
        }
    }

    [Fact]
    public void The_xml_follows_the_rfc_9990_element_order()
    {
        var document = XDocument.Parse(System.Text.Encoding.UTF8.GetString(AggregateReportWriter.ToXml(Report())));
        XNamespace ns = AggregateReportWriter.Namespace;
        Assert.Equal(ns + "feedback", document.Root!.Name);
        Assert.Equal(["version", "report_metadata", "policy_published", "record", "record"], document.Root.Elements().Select(e => e.Name.LocalName));
        Assert.Equal(["disposition", "dkim", "spf"], document.Root.Element(ns + "record")!.Element(ns + "row")!.Element(ns + "policy_evaluated")!.Elements().Select(e => e.Name.LocalName));
    }

    [Fact]
    public void The_report_validates_against_the_rfc_9990_schema()
    {
        Assert.True(TestSuites.TryFind("dmarc/schema/dmarcbis-aggregate-draft32-dmarc-xml-0.2.xsd", out var xsd, out var problem), problem);
        var schemas = new System.Xml.Schema.XmlSchemaSet();
        schemas.Add(AggregateReportWriter.Namespace, xsd);
        var document = XDocument.Parse(System.Text.Encoding.UTF8.GetString(AggregateReportWriter.ToXml(Report())));
        var errors = new List<string>();
        document.Validate(schemas, (_, e) => errors.Add(e.Message));
        Assert.Empty(errors);
    }

    [Fact]
    public void The_report_email_carries_the_gzip_under_its_rfc_9990_name_and_parses_back()
    {
        var report = Report();
        Assert.True(DmarcRecord.TryParse("v=DMARC1; p=reject; rua=mailto:dmarc@example.com,mailto:tiny@example.com!1", out var record, out _));
        var message = AggregateReportMail.Create(report, "estafeta.example", new MailboxAddress("DMARC", "dmarc-reports@estafeta.example"),
            record!.AggregateReportUris, new ManualTimeProvider())!;
        Assert.Equal("dmarc@example.com", Assert.Single(message.To.Mailboxes).Address);
        Assert.Equal("Report Domain: example.com Submitter: estafeta.example Report-ID: <2025-01-01.example.com.1>", message.Subject);
        var attachment = Assert.Single(message.Attachments.OfType<MimePart>());
        Assert.Equal("application/gzip", attachment.ContentType.MimeType);
        Assert.Equal("estafeta.example!example.com!1735689600!1735775999!2025-01-01.example.com.1.xml.gz", attachment.FileName);

        using var wire = new MemoryStream();
        message.WriteTo(wire);
        var result = AggregateReportReader.Read(wire.ToArray());
        Assert.True(result.Success, result.Error);
        Assert.Equal("eml > gzip > xml", result.Container);
        Assert.Equal(5, result.Report!.MessageCount);
    }

    [Fact]
    public void No_email_is_made_when_every_destination_is_too_small()
    {
        Assert.True(DmarcRecord.TryParse("v=DMARC1; p=reject; rua=mailto:tiny@example.com!10", out var record, out _));
        Assert.Null(AggregateReportMail.Create(Report(), "estafeta.example", new MailboxAddress("", "d@estafeta.example"), record!.AggregateReportUris));
    }

    [Fact]
    public async Task External_report_destinations_must_consent_in_dns()
    {
        var dns = new InMemoryDnsResolver();
        dns.Zone.AddTxt("example.com._report._dmarc.reports.example.net", "v=DMARC1");
        Assert.True(DmarcRecord.TryParse("v=DMARC1; p=none; rua=mailto:a@example.com,mailto:b@reports.example.net,mailto:c@other.example", out var record, out _));
        var allowed = await new ReportDestinationVerifier(dns).VerifyAsync("example.com", record!.AggregateReportUris);
        Assert.Equal(["a@example.com", "b@reports.example.net"], allowed.Select(u => u.Address));
    }

    [Fact]
    public void An_evaluation_result_becomes_a_report_outcome_with_the_test_mode_reason()
    {
        var result = new DmarcResult
        {
            Status = DmarcStatus.Fail,
            Disposition = DmarcPolicy.None,
            FromDomain = "example.com",
            Reason = "no aligned authentication",
            RequestedPolicy = DmarcPolicy.Reject,
            PolicyTestMode = true,
        };
        var outcome = DmarcReportOutcome.From(result, IPAddress.Loopback, "example.com", "fail", "example.com", []);
        Assert.Equal("policy_test_mode", Assert.Single(outcome.Reasons).Type);
        Assert.Equal(DmarcPolicy.None, outcome.Disposition);
    }
}
