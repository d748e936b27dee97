using System.Globalization;

namespace Estafeta.MailAuth.Dmarc;

/// <summary>The record grammar of RFC 9989 §4.8, read left to right:
/// <c>record = "v" *WSP "=" *WSP "DMARC1" *( *WSP ";" *WSP [tag *WSP "=" *WSP value] ) *WSP</c>.
/// Only a missing or wrong version is fatal; a malformed tag is reported and skipped up to the
/// next ";" so that the rest of the record still counts.</summary>
internal sealed class DmarcRecordParser
{
    private const string Version = "DMARC1";
    private readonly string text;
    private readonly List<DmarcRecordIssue> issues = [];
    private readonly List<DmarcTag> tags = [];
    private int position;

    private DmarcRecordParser(string text) => this.text = text;

    public static bool StartsWithVersion(string text)
    {
        var parser = new DmarcRecordParser(text);
        return parser.ReadVersion(out _);
    }

    public static bool TryParse(string text, out DmarcRecord? record, out DmarcRecordError? error)
    {
        var parser = new DmarcRecordParser(text);
        record = null;
        if (!parser.ReadVersion(out error)) return false;
        parser.ReadTags();
        return parser.Build(out record, out error);
    }

    private bool ReadVersion(out DmarcRecordError? error)
    {
        error = null;
        SkipWhitespace();
        if (!Take('v'))
            return Fail(out error, text.Length == 0 ? "the record is empty; it must start with v=DMARC1" : "the record must start with v=DMARC1");
        SkipWhitespace();
        if (!Take('='))
            return Fail(out error, "expected \"=\" after v");
        SkipWhitespace();
        var start = position;
        while (position < text.Length && text[position] != ';' && !IsWhitespace(text[position])) position++;
        var value = text[start..position];
        if (value != Version)
        {
            position = start;
            return Fail(out error, value.Equals(Version, StringComparison.OrdinalIgnoreCase)
                ? $"the version must be written \"{Version}\" exactly, not \"{value}\""
                : $"unsupported version \"{value}\" (expected {Version})");
        }
        var afterVersion = position;
        SkipWhitespace();
        if (position < text.Length && text[position] != ';')
        {
            position = afterVersion;
            return Fail(out error, "expected \";\" after v=DMARC1");
        }
        tags.Add(new DmarcTag("v", Version, 0));
        return true;
    }

    private void ReadTags()
    {
        while (true)
        {
            SkipWhitespace();
            if (position >= text.Length) return;
            if (text[position] != ';')
            {
                issues.Add(new DmarcRecordIssue(DmarcRecordIssueKind.Syntax, position, null, "expected \";\" between tags"));
                SkipToSeparator();
                continue;
            }
            position++;
            SkipWhitespace();
            if (position >= text.Length || text[position] == ';') continue;
            ReadTag();
        }
    }

    private void ReadTag()
    {
        var start = position;
        while (position < text.Length && (char.IsAsciiLetterOrDigit(text[position]) || text[position] == '_')) position++;
        var name = text[start..position].ToLowerInvariant();
        if (name.Length == 0 || !char.IsAsciiLetter(name[0]))
        {
            issues.Add(new DmarcRecordIssue(DmarcRecordIssueKind.Syntax, start, null, $"expected a tag name, found \"{Excerpt(start)}\""));
            SkipToSeparator();
            return;
        }
        SkipWhitespace();
        if (!Take('='))
        {
            issues.Add(new DmarcRecordIssue(DmarcRecordIssueKind.Syntax, position, name, $"expected \"=\" after the tag name \"{name}\""));
            SkipToSeparator();
            return;
        }
        SkipWhitespace();
        var valueStart = position;
        SkipToSeparator();
        var value = text[valueStart..position].TrimEnd(' ', '\t');
        if (tags.Any(t => t.Name == name))
        {
            issues.Add(new DmarcRecordIssue(DmarcRecordIssueKind.DuplicateTag, start, name, $"{name}= is given more than once; the first one counts"));
            return;
        }
        tags.Add(new DmarcTag(name, value, start));
    }

    private bool Build(out DmarcRecord? record, out DmarcRecordError? error)
    {
        record = null;
        error = null;
        DmarcPolicy? policy = null;
        DmarcPolicy? subdomainPolicy = null;
        DmarcPolicy? nonexistentPolicy = null;
        var psd = DmarcPsd.Unspecified;
        var testing = false;
        var dkimAlignment = DmarcAlignment.Relaxed;
        var spfAlignment = DmarcAlignment.Relaxed;
        IReadOnlyList<DmarcReportUri> rua = [];
        IReadOnlyList<DmarcReportUri> ruf = [];
        IReadOnlyList<string> fo = ["0"];
        int? percent = null;
        string? reportFormat = null;
        long? interval = null;

        foreach (var tag in tags.Skip(1))
        {
            switch (tag.Name)
            {
                case "v":
                    Invalid(tag, "v= may only appear once, first");
                    break;
                case "p":
                    policy = ParsePolicy(tag);
                    break;
                case "sp":
                    subdomainPolicy = ParsePolicy(tag);
                    break;
                case "np":
                    nonexistentPolicy = ParsePolicy(tag);
                    break;
                case "psd":
                    psd = tag.Value.ToLowerInvariant() switch
                    {
                        "y" => DmarcPsd.Yes,
                        "n" => DmarcPsd.No,
                        "u" => DmarcPsd.Unspecified,
                        _ => Invalid(tag, $"psd={tag.Value} is not y, n or u; u applies", DmarcPsd.Unspecified),
                    };
                    break;
                case "t":
                    testing = tag.Value.ToLowerInvariant() switch
                    {
                        "y" => true,
                        "n" => false,
                        _ => Invalid(tag, $"t={tag.Value} is not y or n; n applies", false),
                    };
                    break;
                case "adkim":
                    dkimAlignment = ParseAlignment(tag);
                    break;
                case "aspf":
                    spfAlignment = ParseAlignment(tag);
                    break;
                case "rua":
                    rua = ParseUris(tag);
                    break;
                case "ruf":
                    ruf = ParseUris(tag);
                    break;
                case "fo":
                    fo = ParseFailureOptions(tag);
                    break;
                case "pct":
                    Obsolete(tag, "pct= is obsolete under RFC 9989 and ignored: the policy applies to all failing mail");
                    if (int.TryParse(tag.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p <= 100) percent = p;
                    else Invalid(tag, $"pct={tag.Value} is not a number from 0 to 100");
                    break;
                case "rf":
                    Obsolete(tag, "rf= is obsolete under RFC 9989 and ignored");
                    reportFormat = tag.Value;
                    break;
                case "ri":
                    Obsolete(tag, "ri= is obsolete under RFC 9989 and ignored: aggregate reports are daily");
                    if (long.TryParse(tag.Value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)) interval = seconds;
                    else Invalid(tag, $"ri={tag.Value} is not a number of seconds");
                    break;
                default:
                    issues.Add(new DmarcRecordIssue(DmarcRecordIssueKind.UnknownTag, tag.Position, tag.Name, $"unknown tag {tag.Name}= is ignored"));
                    break;
            }
        }

        if (policy is null)
        {
            if (rua.Count == 0)
            {
                var at = tags.FirstOrDefault(t => t.Name == "p")?.Position ?? text.Length;
                error = new DmarcRecordError(at, "the record has no valid p= and no valid rua=, so it cannot be used (RFC 7489 §6.6.3)");
                return false;
            }
            issues.Add(new DmarcRecordIssue(DmarcRecordIssueKind.InvalidValue, tags.FirstOrDefault(t => t.Name == "p")?.Position ?? text.Length, "p",
                "no valid p=; the record is treated as p=none because it has a valid rua="));
        }

        record = new DmarcRecord
        {
            Text = text,
            Policy = policy ?? DmarcPolicy.None,
            HasPolicyTag = policy is not null,
            SubdomainPolicy = subdomainPolicy,
            NonexistentSubdomainPolicy = nonexistentPolicy,
            Psd = psd,
            Testing = testing,
            DkimAlignment = dkimAlignment,
            SpfAlignment = spfAlignment,
            AggregateReportUris = rua,
            FailureReportUris = ruf,
            FailureReportingOptions = fo,
            Percent = percent,
            ReportFormat = reportFormat,
            ReportInterval = interval,
            Tags = tags.ToArray(),
            Issues = issues.ToArray(),
        };
        return true;
    }

    private DmarcPolicy? ParsePolicy(DmarcTag tag)
    {
        if (DmarcKeywords.TryParsePolicy(tag.Value, out var policy)) return policy;
        Invalid(tag, $"{tag.Name}={tag.Value} is not none, quarantine or reject");
        return null;
    }

    private DmarcAlignment ParseAlignment(DmarcTag tag) => tag.Value.ToLowerInvariant() switch
    {
        "r" => DmarcAlignment.Relaxed,
        "s" => DmarcAlignment.Strict,
        _ => Invalid(tag, $"{tag.Name}={tag.Value} is not r or s; r applies", DmarcAlignment.Relaxed),
    };

    private List<DmarcReportUri> ParseUris(DmarcTag tag)
    {
        var uris = new List<DmarcReportUri>();
        foreach (var part in tag.Value.Split(','))
        {
            var uri = part.Trim(' ', '\t');
            if (uri.Length == 0)
            {
                Invalid(tag, $"{tag.Name}= has an empty URI");
                continue;
            }
            if (TryParseUri(uri, out var parsed, out var problem)) uris.Add(parsed!);
            else Invalid(tag, $"{tag.Name}= URI \"{uri}\" {problem}");
        }
        return uris;
    }

    /// <summary>mailto:address[!size[k|m|g|t]] with the address percent-decoded.</summary>
    private static bool TryParseUri(string uri, out DmarcReportUri? parsed, out string problem)
    {
        parsed = null;
        var colon = uri.IndexOf(':', StringComparison.Ordinal);
        if (colon <= 0)
        {
            problem = "has no scheme";
            return false;
        }
        var scheme = uri[..colon];
        if (!scheme.Equals("mailto", StringComparison.OrdinalIgnoreCase))
        {
            problem = $"uses the {scheme}: scheme; only mailto: is supported";
            return false;
        }
        var rest = uri[(colon + 1)..];
        long? size = null;
        var bang = rest.LastIndexOf('!');
        if (bang >= 0)
        {
            if (!TryParseSize(rest[(bang + 1)..], out var limit))
            {
                problem = $"has an invalid size limit \"{rest[(bang + 1)..]}\"";
                return false;
            }
            size = limit;
            rest = rest[..bang];
        }
        var query = rest.IndexOf('?', StringComparison.Ordinal);
        if (query >= 0) rest = rest[..query];
        string address;
        try
        {
            address = Uri.UnescapeDataString(rest);
        }
        catch (UriFormatException)
        {
            problem = "has invalid percent-encoding";
            return false;
        }
        var at = address.LastIndexOf('@');
        if (at <= 0 || at == address.Length - 1 || address.Any(c => c <= ' ' || c is '<' or '>' or ',' or ';'))
        {
            problem = "does not hold one e-mail address";
            return false;
        }
        parsed = new DmarcReportUri(uri, address, size);
        problem = string.Empty;
        return true;
    }

    private static bool TryParseSize(string text, out long size)
    {
        size = 0;
        if (text.Length == 0) return false;
        var multiplier = char.ToLowerInvariant(text[^1]) switch
        {
            'k' => 1L << 10,
            'm' => 1L << 20,
            'g' => 1L << 30,
            't' => 1L << 40,
            _ => 1L,
        };
        var digits = multiplier == 1 ? text : text[..^1];
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > long.MaxValue / multiplier) return false;
        size = number * multiplier;
        return true;
    }

    private List<string> ParseFailureOptions(DmarcTag tag)
    {
        var options = new List<string>();
        foreach (var part in tag.Value.Split(':'))
        {
            var option = part.Trim(' ', '\t').ToLowerInvariant();
            if (option is "0" or "1" or "d" or "s")
            {
                if (!options.Contains(option)) options.Add(option);
            }
            else
            {
                Invalid(tag, $"fo= option \"{option}\" is not 0, 1, d or s");
            }
        }
        return options.Count == 0 ? ["0"] : options;
    }

    private void Invalid(DmarcTag tag, string message) =>
        issues.Add(new DmarcRecordIssue(DmarcRecordIssueKind.InvalidValue, tag.Position, tag.Name, message));

    private T Invalid<T>(DmarcTag tag, string message, T fallback)
    {
        Invalid(tag, message);
        return fallback;
    }

    private void Obsolete(DmarcTag tag, string message) =>
        issues.Add(new DmarcRecordIssue(DmarcRecordIssueKind.ObsoleteTag, tag.Position, tag.Name, message));

    private bool Fail(out DmarcRecordError? error, string message)
    {
        error = new DmarcRecordError(position, message);
        return false;
    }

    private bool Take(char c)
    {
        if (position >= text.Length || text[position] != c) return false;
        position++;
        return true;
    }

    private void SkipWhitespace()
    {
        while (position < text.Length && IsWhitespace(text[position])) position++;
    }

    private void SkipToSeparator()
    {
        while (position < text.Length && text[position] != ';') position++;
    }

    private string Excerpt(int start)
    {
        var end = text.IndexOf(';', start);
        var piece = end < 0 ? text[start..] : text[start..end];
        return piece.Length > 20 ? piece[..20] + "…" : piece;
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t';
}
