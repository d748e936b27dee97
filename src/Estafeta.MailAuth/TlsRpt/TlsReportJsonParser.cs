using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Estafeta.MailAuth.TlsRpt;

/// <summary>Reads the JSON of a TLS report (RFC 8460 §4) leniently: field names in any case and order,
/// unknown fields skipped, counts written as strings accepted, a single string where the RFC has an array
/// accepted. What a report cannot do without is required: a report-id, a date-range, a policies array and,
/// in each policy, a policy-domain. Counts and sizes are limited: a report is whatever a stranger sends.</summary>
internal sealed class TlsReportJsonParser
{
    public const int MaxPolicies = 1_000;
    public const int MaxFailureDetails = 10_000;
    public const int MaxStringsPerField = 100;
    public const int MaxStringLength = 2_048;

    /// <summary>A session count above this is not a count (10^12 sessions a day is far beyond any sender).</summary>
    public const long MaxSessionCount = 1_000_000_000_000;

    private const int MaxWarnings = 50;

    private readonly List<string> warnings = [];
    private int failureDetails;

    public static bool TryParse(byte[] json, out TlsReport? report, out string error)
    {
        report = null;
        var span = json.AsSpan();
        if (span.StartsWith(Encoding.UTF8.Preamble)) span = span[3..];
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(span.ToArray(), new JsonDocumentOptions { MaxDepth = 16, AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            error = "not valid JSON: " + e.Message;
            return false;
        }
        using (document)
        {
            try
            {
                return new TlsReportJsonParser().TryRead(document.RootElement, out report, out error);
            }
            catch (ReportException e)
            {
                error = e.Message;
                return false;
            }
        }
    }

    private bool TryRead(JsonElement root, out TlsReport? report, out string error)
    {
        report = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = $"the JSON is {Article(root.ValueKind)}, not an object: this is not a TLS report";
            return false;
        }
        var reportId = String(root, "report-id");
        if (string.IsNullOrWhiteSpace(reportId))
        {
            error = "the report has no report-id";
            return false;
        }
        var organization = String(root, "organization-name");
        if (string.IsNullOrWhiteSpace(organization))
        {
            Warn("the report has no organization-name");
            organization = "";
        }
        if (Property(root, "date-range") is not { ValueKind: JsonValueKind.Object } range)
        {
            error = "the report has no date-range";
            return false;
        }
        if (!TryTime(range, "start-datetime", out var begin, out error) || !TryTime(range, "end-datetime", out var end, out error)) return false;
        if (end < begin) Warn("the date-range ends before it starts");
        if (Property(root, "policies") is not { ValueKind: JsonValueKind.Array } policiesElement)
        {
            error = "the report has no policies array";
            return false;
        }
        if (policiesElement.GetArrayLength() > MaxPolicies)
        {
            error = string.Create(CultureInfo.InvariantCulture, $"the report has {policiesElement.GetArrayLength()} policies, more than {MaxPolicies}");
            return false;
        }
        var policies = new List<TlsReportPolicy>();
        var index = 0;
        foreach (var element in policiesElement.EnumerateArray())
        {
            index++;
            if (!TryPolicy(element, index, out var policy, out error)) return false;
            policies.Add(policy!);
        }
        if (policies.Count == 0) Warn("the report has no policies");
        report = new TlsReport
        {
            OrganizationName = organization,
            Begin = begin,
            End = end,
            ContactInfo = String(root, "contact-info"),
            ReportId = reportId.Trim(),
            Policies = policies,
            Warnings = warnings,
        };
        error = string.Empty;
        return true;
    }

    private bool TryPolicy(JsonElement element, int index, out TlsReportPolicy? policy, out string error)
    {
        policy = null;
        var where = string.Create(CultureInfo.InvariantCulture, $"policies[{index}]");
        if (element.ValueKind != JsonValueKind.Object)
        {
            error = $"{where} is not an object";
            return false;
        }
        if (Property(element, "policy") is not { ValueKind: JsonValueKind.Object } policyElement)
        {
            error = $"{where} has no policy object";
            return false;
        }
        var domain = String(policyElement, "policy-domain")?.Trim().TrimEnd('.').ToLowerInvariant();
        if (string.IsNullOrEmpty(domain))
        {
            error = $"{where} has no policy-domain";
            return false;
        }
        var type = String(policyElement, "policy-type")?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(type))
        {
            Warn($"{where} has no policy-type");
            type = "unknown";
        }
        else if (type is not ("sts" or "tlsa" or "no-policy-found"))
            Warn($"{where} has the unknown policy-type \"{type}\"");

        long successful = 0, failed = 0;
        if (Property(element, "summary") is { ValueKind: JsonValueKind.Object } summary)
        {
            successful = Count(summary, "total-successful-session-count", where) ?? 0;
            failed = Count(summary, "total-failure-session-count", where) ?? 0;
        }
        else Warn($"{where} has no summary");

        var details = new List<TlsFailureDetail>();
        if (Property(element, "failure-details") is { ValueKind: JsonValueKind.Array } detailsElement)
        {
            failureDetails += detailsElement.GetArrayLength();
            if (failureDetails > MaxFailureDetails)
            {
                error = string.Create(CultureInfo.InvariantCulture, $"the report has more than {MaxFailureDetails} failure-details");
                return false;
            }
            var n = 0;
            foreach (var detail in detailsElement.EnumerateArray())
            {
                n++;
                var at = string.Create(CultureInfo.InvariantCulture, $"{where}.failure-details[{n}]");
                if (detail.ValueKind != JsonValueKind.Object)
                {
                    Warn($"{at} is not an object; skipped");
                    continue;
                }
                var result = String(detail, "result-type")?.Trim().ToLowerInvariant();
                if (string.IsNullOrEmpty(result))
                {
                    Warn($"{at} has no result-type");
                    result = "unknown";
                }
                details.Add(new TlsFailureDetail
                {
                    ResultType = result,
                    SendingMtaIp = String(detail, "sending-mta-ip")?.Trim(),
                    ReceivingMxHostname = String(detail, "receiving-mx-hostname")?.Trim().TrimEnd('.').ToLowerInvariant(),
                    ReceivingMxHelo = String(detail, "receiving-mx-helo")?.Trim(),
                    ReceivingIp = String(detail, "receiving-ip")?.Trim(),
                    FailedSessions = Count(detail, "failed-session-count", at) ?? 0,
                    AdditionalInformation = String(detail, "additional-information"),
                    FailureReasonCode = String(detail, "failure-reason-code"),
                });
            }
        }
        if (details.Count > 0 && details.Sum(d => d.FailedSessions) > failed)
            Warn($"{where}: the failure-details count more failed sessions than total-failure-session-count");

        policy = new TlsReportPolicy
        {
            PolicyType = type,
            PolicyStrings = Strings(policyElement, "policy-string", where),
            PolicyDomain = domain,
            MxHosts = Strings(policyElement, "mx-host", where),
            SuccessfulSessions = successful,
            FailedSessions = failed,
            FailureDetails = details,
        };
        error = string.Empty;
        return true;
    }

    private bool TryTime(JsonElement range, string name, out DateTimeOffset time, out string error)
    {
        time = default;
        error = string.Empty;
        var text = String(range, name);
        if (text is null)
        {
            error = $"the date-range has no {name}";
            return false;
        }
        if (DateTimeOffset.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time)) return true;
        error = $"the date-range {name} \"{Shorten(text)}\" is not a date and time (RFC 3339, e.g. 2016-04-01T00:00:00Z)";
        return false;
    }

    /// <summary>A non-negative count; a number written as a string is accepted with a warning.</summary>
    private long? Count(JsonElement element, string name, string where)
    {
        if (Property(element, name) is not { } value)
        {
            Warn($"{where} has no {name}");
            return null;
        }
        long count;
        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out count)) { }
        else if (value.ValueKind == JsonValueKind.String && long.TryParse(Decode(value, name), NumberStyles.None, CultureInfo.InvariantCulture, out count))
            Warn($"{where} writes {name} as a string");
        else throw new ReportException($"{where} {name} is not a whole number: {Shorten(value.GetRawText())}");
        if (count < 0 || count > MaxSessionCount)
            throw new ReportException(string.Create(CultureInfo.InvariantCulture, $"{where} {name} is {count}, outside 0 to {MaxSessionCount}"));
        return count;
    }

    /// <summary>A string field; null when absent or null. Numbers are taken as their text.</summary>
    private static string? String(JsonElement element, string name)
    {
        if (Property(element, name) is not { } value) return null;
        var text = value.ValueKind switch
        {
            JsonValueKind.String => Decode(value, name),
            JsonValueKind.Number => value.GetRawText(),
            JsonValueKind.Null => null,
            _ => throw new ReportException($"{name} is {Article(value.ValueKind)}, not a string"),
        };
        if (text is not null && text.Length > MaxStringLength)
            throw new ReportException(string.Create(CultureInfo.InvariantCulture, $"{name} is {text.Length} characters long, more than {MaxStringLength}"));
        return text;
    }

    /// <summary>An array of strings (RFC 8460 policy-string and mx-host); a lone string is taken as one element.</summary>
    private IReadOnlyList<string> Strings(JsonElement element, string name, string where)
    {
        if (Property(element, name) is not { } value) return [];
        if (value.ValueKind == JsonValueKind.String) return [String(element, name)!];
        if (value.ValueKind == JsonValueKind.Null) return [];
        if (value.ValueKind != JsonValueKind.Array) throw new ReportException($"{where} {name} is {Article(value.ValueKind)}, not an array of strings");
        if (value.GetArrayLength() > MaxStringsPerField)
            throw new ReportException(string.Create(CultureInfo.InvariantCulture, $"{where} {name} has {value.GetArrayLength()} entries, more than {MaxStringsPerField}"));
        var list = new List<string>();
        foreach (var item in value.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                Warn($"{where} {name} holds {Article(item.ValueKind)}; skipped");
                continue;
            }
            var text = Decode(item, name);
            if (text.Length > MaxStringLength)
                throw new ReportException(string.Create(CultureInfo.InvariantCulture, $"{where} {name} holds a string of {text.Length} characters, more than {MaxStringLength}"));
            list.Add(text);
        }
        return list;
    }

    /// <summary>The property named <paramref name="name"/>, written so or else in any case (the first one when
    /// repeated). The names are read one by one rather than through TryGetProperty, which throws when a name before
    /// the one sought cannot be decoded (see <see cref="Decode"/>); such a member is not one this parser reads.</summary>
    private static JsonElement? Property(JsonElement element, string name)
    {
        JsonElement? inAnyCase = null;
        foreach (var property in element.EnumerateObject())
        {
            string member;
            try
            {
                member = property.Name;
            }
            catch (InvalidOperationException)
            {
                continue;
            }
            if (member.Equals(name, StringComparison.Ordinal)) return property.Value;
            if (inAnyCase is null && member.Equals(name, StringComparison.OrdinalIgnoreCase)) inAnyCase = property.Value;
        }
        return inAnyCase;
    }

    /// <summary>A JSON string's text. JSON lets a string hold an escaped half of a surrogate pair ("\ud800") that is no
    /// character, and JsonElement.GetString throws InvalidOperationException on it: that is the report's error.</summary>
    private static string Decode(JsonElement value, string name)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            throw new ReportException($"{name} holds a \\u escape of half a surrogate pair, which is no character");
        }
    }

    private void Warn(string warning)
    {
        if (warnings.Count < MaxWarnings) warnings.Add(warning);
        else if (warnings.Count == MaxWarnings) warnings.Add("more warnings left out");
    }

    private static string Article(JsonValueKind kind) => kind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static string Shorten(string text) => text.Length <= 60 ? text : text[..60] + "...";

    private sealed class ReportException(string message) : Exception(message);
}
