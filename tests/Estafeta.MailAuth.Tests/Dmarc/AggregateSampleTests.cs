using Estafeta.MailAuth.Dmarc.Reports;
using Estafeta.Testing;
using Xunit.Abstractions;

namespace Estafeta.MailAuth.Tests.Dmarc;

/// <summary>Every report in dmarc/aggregate-samples (parsedmarc's samples): each either parses or
/// is one of the known-broken files and gives a clear error.</summary>
public sealed class AggregateSampleTests(ITestOutputHelper output)
{
    /// <summary>Samples that must be refused, with a word the error must contain.</summary>
    private static readonly Dictionary<string, string> Broken = new(StringComparer.Ordinal)
    {
        ["invalid_xml.xml"] = "not well-formed XML",
    };

    /// <summary>Samples that are damaged but salvaged, with the warning that must be given.</summary>
    private static readonly Dictionary<string, string> Salvaged = new(StringComparer.Ordinal)
    {
        ["invalid_utf_8.xml"] = "invalid UTF-8 at byte offset 706 replaced with U+FFFD",
        ["ikea.com!example.de!1538690400!1538776800.xml"] = "the feedback element was read on its own",
    };

    [Fact]
    public void Every_aggregate_sample_parses_or_gives_a_clear_error()
    {
        Assert.True(TestSuites.TryFind("dmarc/aggregate-samples", out var folder, out var problem), problem);
        var files = Directory.GetFiles(folder).Where(f => Path.GetFileName(f) != "LICENSE").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(19, files.Count);
        var parsed = 0;
        var refused = 0;
        foreach (var file in files)
        {
            var name = Path.GetFileName(file);
            var result = AggregateReportReader.ReadFile(file);
            output.WriteLine($"{name}: {result}{(result.Warnings.Count > 0 ? " [warnings: " + string.Join("; ", result.Warnings) + "]" : "")}");
            if (Broken.TryGetValue(name, out var expectedError))
            {
                Assert.False(result.Success, $"{name} should be refused");
                Assert.Contains(expectedError, result.Error, StringComparison.Ordinal);
                refused++;
                continue;
            }
            Assert.True(result.Success, $"{name}: {result.Error}");
            var report = result.Report!;
            Assert.False(string.IsNullOrEmpty(report.Policy.Domain), name);
            Assert.NotEmpty(report.Records);
            Assert.All(report.Records, r => Assert.True(r.Count > 0 && r.SourceAddress is not null, $"{name}: record {r.SourceIp}"));
            if (Salvaged.TryGetValue(name, out var warning)) Assert.Contains(result.Warnings, w => w.Contains(warning, StringComparison.Ordinal));
            parsed++;
        }
        output.WriteLine($"{parsed} of {files.Count} samples parsed ({Salvaged.Count} salvaged with a warning); {refused} refused with a clear error, as expected");
        Assert.Equal(files.Count - Broken.Count, parsed);
    }

    [Theory]
    [InlineData("estadocuenta1.infonacot.gob.mx!example.com!1536853302!1536939702!2940.xml.zip", "zip > xml")]
    [InlineData("fastmail.com!example.com!1516060800!1516147199!102675056.xml.gz", "gzip > xml")]
    [InlineData("mimecast-weird-gzip.eml", "eml > gzip > xml")]
    [InlineData("twilight.eml", "eml > zip > xml")]
    [InlineData("rfc9990-sample.xml", "xml")]
    public void Reports_are_found_inside_their_containers(string file, string container)
    {
        Assert.True(TestSuites.TryFind("dmarc/aggregate-samples/" + file, out var path, out var problem), problem);
        var result = AggregateReportReader.ReadFile(path);
        Assert.True(result.Success, result.Error);
        Assert.Equal(container, result.Container);
    }

    [Fact]
    public void An_rfc_9990_report_keeps_its_new_fields()
    {
        Assert.True(TestSuites.TryFind("dmarc/aggregate-samples/rfc9990-example.net!example.com!1700000000!1700086399.xml", out var path, out var problem), problem);
        var report = AggregateReportReader.ReadFile(path).Report!;
        Assert.Equal(Estafeta.MailAuth.Dmarc.DmarcPolicy.Reject, report.Policy.Np);
        Assert.True(report.Policy.Testing);
        Assert.Equal("treewalk", report.Policy.DiscoveryMethod);
        Assert.Equal("mfrom", report.Records[0].SpfResults[0].Scope);
        Assert.Equal(7, report.MessageCount);
    }

    [Fact]
    public void The_summary_shows_sources_pass_rates_and_unauthenticated_senders()
    {
        Assert.True(TestSuites.TryFind("dmarc/aggregate-samples", out var folder, out var problem), problem);
        var reports = Directory.GetFiles(folder).Select(AggregateReportReader.ReadFile).Where(r => r.Success).Select(r => r.Report!).ToList();
        var summaries = AggregateReportSummary.Summarize(reports);
        foreach (var summary in summaries)
        {
            output.WriteLine($"{summary.Domain}: {summary.Reports} reports, {summary.Messages} messages, SPF {summary.SpfPassRate:P0}, DKIM {summary.DkimPassRate:P0}, DMARC {summary.DmarcPassRate:P0}, "
                + $"{summary.Sources.Count} sources, {summary.UnauthenticatedSources.Count} sending unauthenticated, largest: {string.Join(", ", summary.UnauthenticatedSources.Take(3).Select(s => $"{s.SourceIp} ({s.DmarcFailed})"))}");
            Assert.Equal(summary.Messages, summary.Sources.Sum(s => s.Messages));
            Assert.InRange(summary.DmarcPassRate, Math.Max(summary.SpfPassRate, summary.DkimPassRate), 1);
        }
        var example = summaries.Single(s => s.Domain == "example.com");
        Assert.Contains(example.UnauthenticatedSources, s => s.SourceIp == "203.0.113.10");
    }

    [Theory]
    [InlineData(new byte[0], "empty")]
    [InlineData(new byte[] { 0x1f, 0x8b, 0x08, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff }, "gzip")]
    [InlineData(new byte[] { (byte)'P', (byte)'K', 3, 4, 9, 9, 9 }, "zip")]
    [InlineData(new byte[] { (byte)'<', (byte)'a', (byte)'>', (byte)'<', (byte)'/', (byte)'a', (byte)'>' }, "not <feedback>")]
    [InlineData(new byte[] { (byte)'h', (byte)'e', (byte)'l', (byte)'l', (byte)'o' }, "e-mail")]
    public void Garbage_gives_an_error_and_never_throws(byte[] content, string fragment)
    {
        var result = AggregateReportReader.Read(content);
        Assert.False(result.Success);
        Assert.Contains(fragment, result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void An_e_mail_without_a_report_attachment_is_refused_clearly()
    {
        var result = AggregateReportReader.Read("From: a@example.com\r\nSubject: hi\r\nContent-Type: text/plain\r\n\r\nhello\r\n"u8.ToArray());
        Assert.False(result.Success);
        Assert.Contains("no report attachment", result.Error, StringComparison.Ordinal);
    }

    /// <summary>Elements nested 100,000 deep in org_name overflowed the stack (XElement.Value recurses per level)
    /// and ended the process.</summary>
    [Fact]
    public void Elements_nested_far_beyond_a_report_are_refused_before_they_are_read()
    {
        const int depth = 100_000;
        var xml = "<feedback><report_metadata><org_name>" + string.Concat(Enumerable.Repeat("<a>", depth)) + string.Concat(Enumerable.Repeat("</a>", depth))
            + "</org_name></report_metadata><policy_published><domain>example.com</domain></policy_published></feedback>";
        var result = AggregateReportReader.Read(System.Text.Encoding.ASCII.GetBytes(xml));
        Assert.False(result.Success);
        Assert.Equal("the XML nests elements more than 64 levels deep", result.Error);
    }

    /// <summary>A count of more than long holds (99999999999999999999.5) threw OverflowException out of the reader;
    /// counts near long.MaxValue made the summary's sums overflow.</summary>
    [Theory]
    [InlineData("99999999999999999999.5")]
    [InlineData("9223372036854775807")]
    [InlineData("-3")]
    public void A_count_that_is_no_message_count_is_a_warning_and_counts_nothing(string count)
    {
        var record = $"<record><row><source_ip>192.0.2.1</source_ip><count>{count}</count></row><identifiers><header_from>example.com</header_from></identifiers></record>";
        var xml = "<feedback><report_metadata><org_name>x</org_name><date_range><begin>1</begin><end>2</end></date_range></report_metadata>"
            + "<policy_published><domain>example.com</domain></policy_published>" + record + record + "</feedback>";
        var result = AggregateReportReader.Read(System.Text.Encoding.ASCII.GetBytes(xml));
        Assert.True(result.Success, result.Error);
        Assert.All(result.Report!.Records, r => Assert.Equal(0, r.Count));
        Assert.Contains(result.Warnings, w => w.StartsWith($"record 1 count \"{count}\"", StringComparison.Ordinal));
        Assert.Equal(0, Assert.Single(AggregateReportSummary.Summarize([result.Report, result.Report])).Messages);
    }
}
