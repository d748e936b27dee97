using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;

namespace Estafeta.MailAuth.Dmarc.Reports;

/// <summary>Reads the XML of an aggregate report leniently: elements are matched by local name in
/// any namespace (RFC 9990, RFC 7489 with or without namespace, older drafts), order does not
/// matter, unknown elements are skipped, and odd values become warnings rather than failures.
/// Only what a report cannot do without (feedback, report_metadata, policy_published/domain) is
/// required.</summary>
internal sealed class AggregateReportXmlParser
{
    private readonly List<string> warnings = [];

    private AggregateReportXmlParser(IEnumerable<string> warnings) => this.warnings.AddRange(warnings);

    public static bool TryParse(byte[] xml, IReadOnlyList<string> carriedWarnings, out AggregateReport? report, out string error)
    {
        report = null;
        var parser = new AggregateReportXmlParser(carriedWarnings);
        if (!parser.TryDecode(xml, out var text, out error)) return false;
        if (!TryLoad(text, out var document, out var xmlError))
        {
            // Some reporters wrap the report in stray elements (an unclosed <xs:schema>, for one):
            // the feedback element alone is tried before giving up.
            var start = text.IndexOf("<feedback", StringComparison.Ordinal);
            var end = text.LastIndexOf("</feedback>", StringComparison.Ordinal);
            if (start <= 0 || end < start || !TryLoad(text[start..(end + "</feedback>".Length)], out document, out _))
            {
                error = xmlError + (parser.warnings.Count > 0 ? $" ({string.Join("; ", parser.warnings)})" : string.Empty);
                return false;
            }
            parser.warnings.Add($"the XML around the feedback element cannot be read ({xmlError}); the feedback element was read on its own");
        }
        return parser.TryRead(document!, out report, out error);
    }

    /// <summary>The deepest element nesting read. A report nests five levels; XElement.Value recurses once per
    /// level, so a document nested some hundred thousand levels deep would overflow the stack and end the process.</summary>
    internal const int MaxDepth = 64;

    private static readonly XmlReaderSettings Settings = new() { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true };

    private static bool TryLoad(string text, out XDocument document, out string error)
    {
        document = new XDocument();
        try
        {
            // A first streaming pass measures the nesting before any tree is built.
            using (var scan = XmlReader.Create(new StringReader(text), Settings))
            {
                while (scan.Read())
                {
                    if (scan.Depth > MaxDepth)
                    {
                        error = $"the XML nests elements more than {MaxDepth} levels deep";
                        return false;
                    }
                }
            }
            using var reader = XmlReader.Create(new StringReader(text), Settings);
            document = XDocument.Load(reader);
            error = string.Empty;
            return true;
        }
        catch (XmlException e)
        {
            error = "not well-formed XML: " + e.Message;
            return false;
        }
    }

    /// <summary>UTF-8 unless the declaration names another encoding. Invalid UTF-8 is salvaged by
    /// replacing the bad bytes with U+FFFD, with a warning naming their offsets.</summary>
    private bool TryDecode(byte[] xml, out string text, out string error)
    {
        error = string.Empty;
        var span = xml.AsSpan();
        if (span.StartsWith(Encoding.UTF8.Preamble)) span = span[3..];
        var declared = DeclaredEncoding(span);
        if (declared is not null && !declared.Equals("utf-8", StringComparison.OrdinalIgnoreCase) && !declared.Equals("utf8", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                text = Encoding.GetEncoding(declared).GetString(span);
                return true;
            }
            catch (ArgumentException)
            {
                warnings.Add($"unknown encoding \"{declared}\" declared; read as UTF-8");
            }
        }
        try
        {
            text = new UTF8Encoding(false, true).GetString(span);
            return true;
        }
        catch (DecoderFallbackException)
        {
            var offsets = InvalidUtf8Offsets(span);
            text = Encoding.UTF8.GetString(span);
            warnings.Add($"invalid UTF-8 at byte offset{(offsets.Count > 1 ? "s" : "")} {string.Join(", ", offsets.Take(10))} replaced with U+FFFD");
            return true;
        }
    }

    private static List<int> InvalidUtf8Offsets(ReadOnlySpan<byte> span)
    {
        var offsets = new List<int>();
        var position = 0;
        while (position < span.Length)
        {
            var status = System.Text.Rune.DecodeFromUtf8(span[position..], out _, out var consumed);
            if (status != System.Buffers.OperationStatus.Done) offsets.Add(position);
            position += Math.Max(consumed, 1);
        }
        return offsets;
    }

    private static string? DeclaredEncoding(ReadOnlySpan<byte> span)
    {
        if (!span.StartsWith("<?xml"u8)) return null;
        var end = span.IndexOf("?>"u8);
        if (end < 0) return null;
        var declaration = Encoding.ASCII.GetString(span[..end]);
        var at = declaration.IndexOf("encoding", StringComparison.Ordinal);
        if (at < 0) return null;
        var quote = declaration.IndexOfAny(['"', '\''], at);
        if (quote < 0) return null;
        var close = declaration.IndexOf(declaration[quote], quote + 1);
        return close < 0 ? null : declaration[(quote + 1)..close].Trim();
    }

    private bool TryRead(XDocument document, out AggregateReport? report, out string error)
    {
        report = null;
        var root = document.Root!;
        if (root.Name.LocalName != "feedback")
        {
            error = $"the root element is <{root.Name.LocalName}>, not <feedback>: this is not a DMARC aggregate report";
            return false;
        }
        var metadataElement = Child(root, "report_metadata");
        var policyElement = Child(root, "policy_published");
        if (metadataElement is null || policyElement is null)
        {
            error = $"the report has no <{(metadataElement is null ? "report_metadata" : "policy_published")}> element";
            return false;
        }
        var domain = Text(policyElement, "domain");
        if (string.IsNullOrEmpty(domain))
        {
            error = "the report has no policy_published/domain";
            return false;
        }

        var records = Children(root, "record").Select(ReadRecord).OfType<AggregateReportRecord>().ToList();
        if (records.Count == 0) warnings.Add("the report has no usable record");
        report = new AggregateReport
        {
            Version = Text(root, "version"),
            Namespace = root.Name.NamespaceName,
            Metadata = ReadMetadata(metadataElement),
            Policy = ReadPolicy(policyElement, domain),
            Records = records,
            Extensions = ReadExtensions(root),
            Warnings = warnings.ToArray(),
        };
        error = string.Empty;
        return true;
    }

    private AggregateReportMetadata ReadMetadata(XElement element)
    {
        var range = Child(element, "date_range");
        var orgName = Text(element, "org_name") ?? string.Empty;
        if (orgName.Length == 0) warnings.Add("report_metadata/org_name is empty");
        return new AggregateReportMetadata
        {
            OrgName = orgName,
            Email = Text(element, "email") ?? string.Empty,
            ExtraContactInfo = Text(element, "extra_contact_info"),
            ReportId = Text(element, "report_id") ?? string.Empty,
            Begin = Time(range, "begin"),
            End = Time(range, "end"),
            Errors = Children(element, "error").Select(e => e.Value.Trim()).Where(e => e.Length > 0).ToArray(),
            Generator = Text(element, "generator"),
        };
    }

    private AggregateReportPolicy ReadPolicy(XElement element, string domain) => new()
    {
        Domain = domain,
        Adkim = Alignment(element, "adkim"),
        Aspf = Alignment(element, "aspf"),
        P = Policy(element, "p"),
        Sp = Policy(element, "sp"),
        Np = Policy(element, "np"),
        Pct = Text(element, "pct") is { } pct ? Number(pct, "policy_published/pct") is { } n ? (int)Math.Clamp(n, 0, 100) : null : null,
        Fo = Text(element, "fo"),
        Testing = Text(element, "testing")?.ToLowerInvariant() switch
        {
            null => null,
            "y" => true,
            "n" => false,
            var other => Warn<bool?>($"policy_published/testing \"{other}\" is not y or n", null),
        },
        DiscoveryMethod = Text(element, "discovery_method")?.ToLowerInvariant(),
        VersionPublished = Text(element, "version_published"),
    };

    private AggregateReportRecord? ReadRecord(XElement element, int index)
    {
        var row = Child(element, "row");
        var evaluated = row is null ? null : Child(row, "policy_evaluated");
        var identifiers = Child(element, "identifiers");
        var sourceIp = row is null ? null : Text(row, "source_ip");
        if (sourceIp is null)
        {
            warnings.Add($"record {index + 1} has no row/source_ip and is skipped");
            return null;
        }
        var countText = Text(row!, "count");
        var count = countText is null ? Warn<long?>($"record {index + 1} has no count; 1 assumed", 1) : MessageCount(countText, $"record {index + 1} count");
        var authResults = Child(element, "auth_results");
        return new AggregateReportRecord
        {
            SourceIp = sourceIp,
            Count = count ?? 0,
            Disposition = Keyword(evaluated, "disposition") ?? Warn($"record {index + 1} has no disposition; none assumed", "none"),
            DkimEvaluated = Keyword(evaluated, "dkim"),
            SpfEvaluated = Keyword(evaluated, "spf"),
            Reasons = evaluated is null ? [] : Children(evaluated, "reason")
                .Select(r => new AggregateReportReason(Keyword(r, "type") ?? "other", Text(r, "comment"))).ToArray(),
            EnvelopeTo = identifiers is null ? null : Text(identifiers, "envelope_to"),
            EnvelopeFrom = identifiers is null ? null : Text(identifiers, "envelope_from"),
            HeaderFrom = (identifiers is null ? null : Text(identifiers, "header_from")) ?? Warn($"record {index + 1} has no identifiers/header_from", string.Empty),
            DkimResults = authResults is null ? [] : Children(authResults, "dkim")
                .Select(d => new AggregateReportDkimResult(Text(d, "domain") ?? string.Empty, Text(d, "selector"), Keyword(d, "result") ?? "none", Text(d, "human_result"))).ToArray(),
            SpfResults = authResults is null ? [] : Children(authResults, "spf")
                .Select(s => new AggregateReportSpfResult(Text(s, "domain") ?? string.Empty, Keyword(s, "scope"), Keyword(s, "result") ?? "none", Text(s, "human_result"))).ToArray(),
            Extensions = ReadExtensions(element),
        };
    }

    /// <summary>Extensions: extension elements with a name attribute (inside extensions or extension
    /// containers), or the children of an RFC 9990 extension container.</summary>
    private static AggregateReportExtension[] ReadExtensions(XElement parent)
    {
        var found = new List<AggregateReportExtension>();
        foreach (var container in parent.Elements().Where(e => e.Name.LocalName is "extensions" or "extension"))
        {
            if (container.Attribute("name") is { } name)
            {
                found.Add(new AggregateReportExtension(name.Value, container.Attribute("definition")?.Value));
                continue;
            }
            foreach (var child in container.Elements())
            {
                found.Add(child.Attribute("name") is { } childName
                    ? new AggregateReportExtension(childName.Value, child.Attribute("definition")?.Value)
                    : new AggregateReportExtension(child.Name.LocalName, child.Name.NamespaceName.Length == 0 ? null : child.Name.NamespaceName));
            }
        }
        return found.ToArray();
    }

    private DateTimeOffset Time(XElement? range, string name)
    {
        var text = range is null ? null : Text(range, name);
        if (text is null)
        {
            warnings.Add($"report_metadata/date_range/{name} is missing");
            return DateTimeOffset.UnixEpoch;
        }
        var seconds = Number(text, $"date_range/{name}") ?? 0;
        return DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, 253402300799));
    }

    /// <summary>A message count above this is not a count (10^12 messages from one address in a day is far beyond
    /// any sender), and the summary's sums of counts stay within long.</summary>
    public const long MaxMessageCount = 1_000_000_000_000;

    private long? MessageCount(string text, string what)
    {
        var count = Number(text, what);
        if (count is null or (>= 0 and <= MaxMessageCount)) return count;
        warnings.Add(string.Create(CultureInfo.InvariantCulture, $"{what} \"{text}\" is outside 0 to {MaxMessageCount}; taken as 0"));
        return 0;
    }

    private long? Number(string text, string what)
    {
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var number)) return number;
        // A fraction beyond long (99999999999999999999.5) is no number here: the cast would throw.
        if (decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction) && fraction is > long.MinValue - 1m and < long.MaxValue + 1m)
        {
            warnings.Add($"{what} \"{text}\" is not an integer; truncated");
            return (long)fraction;
        }
        warnings.Add($"{what} \"{text}\" is not a number");
        return null;
    }

    private DmarcAlignment? Alignment(XElement element, string name) => Keyword(element, name) switch
    {
        null => null,
        "r" or "relaxed" => DmarcAlignment.Relaxed,
        "s" or "strict" => DmarcAlignment.Strict,
        var other => Warn<DmarcAlignment?>($"policy_published/{name} \"{other}\" is not r or s", null),
    };

    private DmarcPolicy? Policy(XElement element, string name)
    {
        var value = Keyword(element, name);
        if (value is null) return null;
        if (DmarcKeywords.TryParsePolicy(value, out var policy)) return policy;
        warnings.Add($"policy_published/{name} \"{value}\" is not none, quarantine or reject");
        return null;
    }

    private T Warn<T>(string warning, T value)
    {
        warnings.Add(warning);
        return value;
    }

    private static string? Keyword(XElement? parent, string name) => parent is null ? null : Text(parent, name)?.ToLowerInvariant();

    /// <summary>The trimmed text of the first child called <paramref name="name"/>; null when absent or empty.</summary>
    private static string? Text(XElement parent, string name)
    {
        var value = Child(parent, name)?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }

    private static XElement? Child(XElement parent, string name) => parent.Elements().FirstOrDefault(e => e.Name.LocalName == name);

    private static IEnumerable<XElement> Children(XElement parent, string name) => parent.Elements().Where(e => e.Name.LocalName == name);
}
