using System.Globalization;
using System.Net;
using Estafeta.MailAuth.Spf;
using Estafeta.Testing;
using YamlDotNet.RepresentationModel;

namespace Estafeta.MailAuth.Tests.Spf;

/// <summary>Loads ../shared/test-suites/spf/rfc7208-tests.yml and runs its cases the way the
/// reference driver (pyspf's testspf.py) does:
/// <list type="bullet">
/// <item>an SPF record is also served as TXT unless the name has TXT data of its own ("TXT: NONE" included);</item>
/// <item>TIMEOUT makes questions for that name time out, except for the types it has records of;</item>
/// <item>names beginning with "error." and names with a label over 63 octets time out;</item>
/// <item>the client uses MAIL FROM, or postmaster@HELO when it is empty;</item>
/// <item>"DEFAULT" as explanation is the evaluator's default text, set here to "DEFAULT".</item>
/// </list>
/// Explanations are compared ignoring case: for %{i} of an IPv6 client the suite expects upper-case
/// hex nibbles (as pyspf writes them) where RFC 7208 §7.4 shows lower case; the evaluator follows the RFC.</summary>
public static class SpfSuite
{
    public const string RelativePath = "spf/rfc7208-tests.yml";
    public const int ExpectedCaseCount = 203;
    public const string DefaultExplanation = "DEFAULT";

    private static readonly Lazy<(IReadOnlyList<SpfSuiteCase> Cases, string? Problem)> Loaded = new(Load);

    public static IReadOnlyList<SpfSuiteCase> Cases => Loaded.Value.Cases;

    /// <summary>Why the suite could not be loaded, or null.</summary>
    public static string? Problem => Loaded.Value.Problem;

    public static async Task<SpfSuiteOutcome> RunAsync(SpfSuiteCase testCase)
    {
        var resolver = new InMemoryDnsResolver(testCase.Zone);
        var evaluator = new SpfEvaluator(resolver, new SpfEvaluatorOptions { DefaultExplanation = DefaultExplanation });
        var request = SpfRequest.ForMailFrom(IPAddress.Parse(testCase.Host), testCase.MailFrom, testCase.Helo);
        var result = await evaluator.CheckAsync(request);

        var actual = result.Result.ToString().ToLowerInvariant();
        var resultOk = testCase.Results.Contains(actual);
        var explanationOk = testCase.Explanation is null
            || result.Result != SpfResult.Fail
            || string.Equals(testCase.Explanation, result.Explanation, StringComparison.OrdinalIgnoreCase);
        return new SpfSuiteOutcome(testCase, result, resultOk && explanationOk);
    }

    private static (IReadOnlyList<SpfSuiteCase>, string?) Load()
    {
        if (!TestSuites.TryFind(RelativePath, out var path, out var problem))
        {
            return ([], problem);
        }

        var stream = new YamlStream();
        using (var reader = new StreamReader(path))
        {
            stream.Load(reader);
        }

        var cases = new List<SpfSuiteCase>();
        foreach (var document in stream.Documents)
        {
            var root = (YamlMappingNode)document.RootNode;
            var section = Scalar(root, "description") ?? "(no description)";
            var zone = root.Children.TryGetValue(new YamlScalarNode("zonedata"), out var zoneNode)
                ? BuildZone((YamlMappingNode)zoneNode)
                : BuildZone(new YamlMappingNode());
            foreach (var (nameNode, testNode) in (YamlMappingNode)root[new YamlScalarNode("tests")])
            {
                var test = (YamlMappingNode)testNode;
                cases.Add(new SpfSuiteCase(
                    section,
                    ((YamlScalarNode)nameNode).Value!,
                    Scalar(test, "spec") ?? string.Empty,
                    Scalar(test, "helo") ?? string.Empty,
                    Scalar(test, "host") ?? string.Empty,
                    Scalar(test, "mailfrom") ?? string.Empty,
                    Strings(test[new YamlScalarNode("result")]),
                    Scalar(test, "explanation"),
                    zone));
            }
        }

        return (cases, null);
    }

    private static DnsZone BuildZone(YamlMappingNode zoneData)
    {
        var zone = new DnsZone();
        foreach (var (nameNode, entriesNode) in zoneData)
        {
            var name = ((YamlScalarNode)nameNode).Value!;
            var entries = ((YamlSequenceNode)entriesNode).Children;
            var records = entries.OfType<YamlMappingNode>().Select(static e => e.Children.Single()).ToArray();
            var hasOwnTxt = records.Any(static r => Key(r) == "TXT");
            var present = new HashSet<DnsRecordType>();
            foreach (var (keyNode, value) in records)
            {
                switch (((YamlScalarNode)keyNode).Value)
                {
                    case "SPF" when !hasOwnTxt:
                    case "TXT" when !(value is YamlScalarNode { Value: "NONE" }):
                        zone.AddTxt(name, [.. Strings(value)]);
                        present.Add(DnsRecordType.Txt);
                        break;
                    case "SPF":
                    case "TXT":
                        break;
                    case "A":
                        zone.AddA(name, ((YamlScalarNode)value).Value!);
                        present.Add(DnsRecordType.A);
                        break;
                    case "AAAA":
                        zone.AddAaaa(name, ((YamlScalarNode)value).Value!);
                        present.Add(DnsRecordType.Aaaa);
                        break;
                    case "MX":
                        var mx = Strings(value);
                        zone.AddMx(name, int.Parse(mx[0], CultureInfo.InvariantCulture), mx[1]);
                        present.Add(DnsRecordType.Mx);
                        break;
                    case "PTR":
                        zone.AddPtr(name, ((YamlScalarNode)value).Value!);
                        present.Add(DnsRecordType.Ptr);
                        break;
                    case "CNAME":
                        zone.AddCname(name, ((YamlScalarNode)value).Value!);
                        present.Add(DnsRecordType.Cname);
                        break;
                    case var other:
                        throw new InvalidDataException($"Unknown record type '{other}' at {name}.");
                }
            }

            if (entries.OfType<YamlScalarNode>().Any(static e => e.Value == "TIMEOUT"))
            {
                foreach (var type in new[] { DnsRecordType.A, DnsRecordType.Aaaa, DnsRecordType.Mx, DnsRecordType.Txt, DnsRecordType.Ptr })
                {
                    if (!present.Contains(type) && !present.Contains(DnsRecordType.Cname))
                    {
                        zone.TimeOut(name, type);
                    }
                }
            }
        }

        zone.TimeOutWhere(static (name, _) => name.StartsWith("error.", StringComparison.Ordinal)
            || name.Split('.').Any(static label => label.Length > 63));
        return zone;
    }

    private static string Key(KeyValuePair<YamlNode, YamlNode> pair) => ((YamlScalarNode)pair.Key).Value ?? string.Empty;

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    private static List<string> Strings(YamlNode node) => node switch
    {
        YamlScalarNode scalar => [scalar.Value ?? string.Empty],
        YamlSequenceNode sequence => sequence.Children.Select(static c => ((YamlScalarNode)c).Value ?? string.Empty).ToList(),
        _ => throw new InvalidDataException($"Unexpected YAML node {node.NodeType}."),
    };
}

public sealed record SpfSuiteOutcome(SpfSuiteCase Case, SpfCheckResult Result, bool Passed)
{
    public string Describe() =>
        $"{Case.Id} [{Case.Spec}] host={Case.Host} mailfrom='{Case.MailFrom}' helo='{Case.Helo}': " +
        $"expected {string.Join(" or ", Case.Results)}{(Case.Explanation is null ? string.Empty : $" ('{Case.Explanation}')")}, " +
        $"got {Result.Result.ToString().ToLowerInvariant()}{(Result.Explanation is null ? string.Empty : $" ('{Result.Explanation}')")}" +
        $"{(Result.Mechanism is null ? string.Empty : $" by {Result.Mechanism}")}{(Result.Problem is null ? string.Empty : $"; {Result.Problem}")}";
}
