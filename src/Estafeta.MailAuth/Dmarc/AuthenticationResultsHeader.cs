using System.Text;

namespace Estafeta.MailAuth.Dmarc;

/// <summary>One Authentication-Results field (RFC 8601): who evaluated (authserv-id) and the
/// results. <see cref="Instance"/> is set for an ARC-Authentication-Results field (RFC 8617 §4.1.1).</summary>
public sealed record AuthenticationResultsHeader
{
    public const string FieldName = "Authentication-Results";

    public required string AuthservId { get; init; }

    public string? Version { get; init; }

    public IReadOnlyList<AuthenticationResult> Results { get; init; } = [];

    /// <summary>i= of an ARC-Authentication-Results field.</summary>
    public int? Instance { get; init; }

    /// <summary>Results of one method ("spf", "dkim", "dmarc", "arc").</summary>
    public IEnumerable<AuthenticationResult> ResultsFor(string method) =>
        Results.Where(r => r.Method.Equals(method, StringComparison.OrdinalIgnoreCase));

    /// <summary>Parses the field value (after "Authentication-Results:").</summary>
    public static bool TryParse(string value, out AuthenticationResultsHeader? header, out string error) =>
        AuthenticationResultsParser.TryParse(value, expectInstance: false, out header, out error);

    /// <summary>Parses an ARC-Authentication-Results value: <c>i=N; authserv-id; results</c>.</summary>
    public static bool TryParseArc(string value, out AuthenticationResultsHeader? header, out string error) =>
        AuthenticationResultsParser.TryParse(value, expectInstance: true, out header, out error);

    /// <summary>The field value, folded before each resinfo: <c>authserv-id;\r\n\tspf=pass ...</c>,
    /// or <c>authserv-id; none</c> with no results.</summary>
    public string ToValue()
    {
        var text = new StringBuilder();
        if (Instance is { } instance) text.Append("i=").Append(instance).Append("; ");
        text.Append(AuthenticationResultsFormat.Value(AuthservId));
        if (Version is not null) text.Append(' ').Append(Version);
        if (Results.Count == 0) return text.Append("; none").ToString();
        foreach (var result in Results) text.Append(";\r\n\t").Append(result);
        return text.ToString();
    }

    /// <summary>The whole field, name included, ending in CRLF.</summary>
    public string ToHeaderField(string? name = null) =>
        (name ?? (Instance is null ? FieldName : "ARC-Authentication-Results")) + ": " + ToValue() + "\r\n";

    public override string ToString() => ToValue();
}
