using System.Text.Json;
using Estafeta.MailAuth.Dmarc.Reports;
using Estafeta.Testing;
using Xunit.Abstractions;

namespace Estafeta.MailAuth.Tests.Dmarc;

/// <summary>dmarc/stalwart-feedback: each report (XML, or inside an e-mail) against the parse
/// stalwartlabs/mail-auth expects, compared on what matters: metadata, the published policy and
/// every record's source, count, disposition, evaluated results, identifiers and raw results.</summary>
public sealed class StalwartFeedbackTests(ITestOutputHelper output)
{
    [Fact]
    public void Every_stalwart_feedback_case_matches_its_expected_json()
    {
        Assert.True(TestSuites.TryFind("dmarc/stalwart-feedback", out var folder, out var problem), problem);
        var cases = Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).ToList();
        Assert.Equal(10, cases.Count);
        var failures = new List<string>();
        foreach (var expectedFile in cases)
        {
            var stem = Path.Combine(folder, Path.GetFileNameWithoutExtension(expectedFile));
            var input = File.Exists(stem + ".xml") ? stem + ".xml" : stem + ".eml";
            var result = AggregateReportReader.ReadFile(input);
            var differences = result.Success
                ? Compare(result.Report!, JsonDocument.Parse(File.ReadAllBytes(expectedFile)).RootElement)
                : [$"not parsed: {result.Error}"];
            output.WriteLine($"{Path.GetFileName(input)} ({result.Container}): {(differences.Count == 0 ? "matches" : string.Join("; ", differences))}");
            failures.AddRange(differences.Select(d => $"{Path.GetFileName(input)}: {d}"));
        }
        output.WriteLine($"{cases.Count - failures.Select(f => f.Split(':')[0]).Distinct().Count()} of {cases.Count} stalwart cases matched");
        Assert.Empty(failures);
    }

    private static List<string> Compare(AggregateReport report, JsonElement expected)
    {
        var differences = new List<string>();
        void Check(string what, string? actual, string? wanted)
        {
            if (!string.Equals(Normalize(actual), Normalize(wanted), StringComparison.OrdinalIgnoreCase))
                differences.Add($"{what}: expected \"{wanted}\", got \"{actual}\"");
        }

        var metadata = expected.GetProperty("report_metadata");
        Check("org_name", report.Metadata.OrgName, Str(metadata, "org_name"));
        Check("email", report.Metadata.Email, Str(metadata, "email"));
        Check("extra_contact_info", report.Metadata.ExtraContactInfo, Str(metadata, "extra_contact_info"));
        Check("report_id", report.Metadata.ReportId, Str(metadata, "report_id"));
        var range = metadata.GetProperty("date_range");
        Check("begin", report.Metadata.Begin.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), range.GetProperty("begin").GetRawText());
        Check("end", report.Metadata.End.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), range.GetProperty("end").GetRawText());
        if (metadata.TryGetProperty("generator", out _)) Check("generator", report.Metadata.Generator, Str(metadata, "generator"));

        var policy = expected.GetProperty("policy_published");
        Check("domain", report.Policy.Domain, Str(policy, "domain"));
        Check("adkim", report.Policy.Adkim?.ToString(), Str(policy, "adkim"));
        Check("aspf", report.Policy.Aspf?.ToString(), Str(policy, "aspf"));
        Check("p", report.Policy.P?.ToString(), Str(policy, "p"));
        Check("sp", report.Policy.Sp?.ToString(), Str(policy, "sp"));
        if (policy.TryGetProperty("np", out _)) Check("np", report.Policy.Np?.ToString(), Str(policy, "np"));
        if (policy.TryGetProperty("discovery_method", out _)) Check("discovery_method", report.Policy.DiscoveryMethod, Str(policy, "discovery_method"));
        Check("testing", report.Policy.Testing == true ? "true" : "false", policy.GetProperty("testing").GetRawText());
        Check("fo", report.Policy.Fo, Str(policy, "fo"));

        var records = expected.GetProperty("record").EnumerateArray().ToList();
        if (records.Count != report.Records.Count)
        {
            differences.Add($"expected {records.Count} records, got {report.Records.Count}");
            return differences;
        }
        for (var i = 0; i < records.Count; i++)
        {
            var actual = report.Records[i];
            var row = records[i].GetProperty("row");
            var evaluated = row.GetProperty("policy_evaluated");
            var at = $"record {i + 1} ";
            Check(at + "source_ip", actual.SourceAddress?.ToString(), Str(row, "source_ip"));
            Check(at + "count", actual.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), row.GetProperty("count").GetRawText());
            Check(at + "disposition", actual.Disposition, Str(evaluated, "disposition"));
            Check(at + "dkim", actual.DkimEvaluated, Str(evaluated, "dkim"));
            Check(at + "spf", actual.SpfEvaluated, Str(evaluated, "spf"));
            var reasons = evaluated.GetProperty("reason").EnumerateArray().ToList();
            Check(at + "reasons", actual.Reasons.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), reasons.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            for (var r = 0; r < Math.Min(reasons.Count, actual.Reasons.Count); r++)
            {
                Check(at + "reason type", ReasonName(actual.Reasons[r].Type), Str(reasons[r], "type_"));
                Check(at + "reason comment", actual.Reasons[r].Comment, Str(reasons[r], "comment"));
            }
            var identifiers = records[i].GetProperty("identifiers");
            Check(at + "header_from", actual.HeaderFrom, Str(identifiers, "header_from"));
            Check(at + "envelope_from", actual.EnvelopeFrom, Str(identifiers, "envelope_from"));
            Check(at + "envelope_to", actual.EnvelopeTo, Str(identifiers, "envelope_to"));

            var auth = records[i].GetProperty("auth_results");
            var dkim = auth.GetProperty("dkim").EnumerateArray().ToList();
            Check(at + "dkim results", actual.DkimResults.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), dkim.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            for (var d = 0; d < Math.Min(dkim.Count, actual.DkimResults.Count); d++)
            {
                Check(at + "dkim domain", actual.DkimResults[d].Domain, Str(dkim[d], "domain"));
                Check(at + "dkim selector", actual.DkimResults[d].Selector, Str(dkim[d], "selector"));
                Check(at + "dkim result", actual.DkimResults[d].Result, Str(dkim[d], "result"));
                Check(at + "dkim human_result", actual.DkimResults[d].HumanResult, Str(dkim[d], "human_result"));
            }
            var spf = auth.GetProperty("spf").EnumerateArray().ToList();
            Check(at + "spf results", actual.SpfResults.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), spf.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
            for (var s = 0; s < Math.Min(spf.Count, actual.SpfResults.Count); s++)
            {
                Check(at + "spf domain", actual.SpfResults[s].Domain, Str(spf[s], "domain"));
                Check(at + "spf scope", ScopeName(actual.SpfResults[s].Scope), Str(spf[s], "scope"));
                Check(at + "spf result", actual.SpfResults[s].Result, Str(spf[s], "result"));
            }
            var extensions = records[i].GetProperty("extensions").EnumerateArray().Select(e => Str(e, "name")).ToList();
            Check(at + "extensions", string.Join(",", actual.Extensions.Select(e => e.Name)), string.Join(",", extensions));
        }
        var topExtensions = expected.GetProperty("extensions").EnumerateArray().Select(e => Str(e, "name")).ToList();
        Check("extensions", string.Join(",", report.Extensions.Select(e => e.Name)), string.Join(",", topExtensions));
        return differences;
    }

    /// <summary>stalwart's enum names: "trusted_forwarder" is TrustedForwarder; it has no
    /// sampled_out (an RFC 7489 reason) and reads it as Other.</summary>
    private static string ReasonName(string type) => type == "sampled_out" ? "Other" : type.Replace("_", "", StringComparison.Ordinal);

    private static string ScopeName(string? scope) => scope switch
    {
        "mfrom" => "MailFrom",
        "helo" => "Helo",
        null => "Unspecified",
        _ => scope,
    };

    /// <summary>Missing, empty and stalwart's "Unspecified" all mean "not given".</summary>
    private static string? Normalize(string? value) => string.IsNullOrEmpty(value) || value == "Unspecified" ? null : value.Replace("_", "", StringComparison.Ordinal);

    private static string? Str(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) ? value.ValueKind switch
        {
            JsonValueKind.Null => null,
            JsonValueKind.String => value.GetString(),
            _ => value.GetRawText(),
        } : null;
}
