using System.Text;

namespace Estafeta.MailAuth.Dmarc;

/// <summary>One resinfo of an Authentication-Results field (RFC 8601 §2.2):
/// <c>method[/version]=result [reason=value] (comment) ptype.property=value ...</c>.</summary>
public sealed record AuthenticationResult
{
    public required string Method { get; init; }

    public string? MethodVersion { get; init; }

    public required string Result { get; init; }

    public string? Reason { get; init; }

    /// <summary>Comment text written after the result, without the parentheses.</summary>
    public string? Comment { get; init; }

    public IReadOnlyList<AuthenticationResultProperty> Properties { get; init; } = [];

    /// <summary>The value of ptype.property (e.g. "header.from"), or null.</summary>
    public string? this[string typeDotProperty] =>
        Properties.FirstOrDefault(p => p.Name.Equals(typeDotProperty, StringComparison.OrdinalIgnoreCase))?.Value;

    public static AuthenticationResult Create(string method, string result, string? comment = null, params (string Name, string Value)[] properties) =>
        new()
        {
            Method = method,
            Result = result,
            Comment = comment,
            Properties = properties.Select(p => AuthenticationResultProperty.Parse(p.Name, p.Value)).ToArray(),
        };

    public override string ToString()
    {
        var text = new StringBuilder(Method);
        if (MethodVersion is not null) text.Append('/').Append(MethodVersion);
        text.Append('=').Append(Result);
        if (Reason is not null) text.Append(" reason=").Append(AuthenticationResultsFormat.Value(Reason));
        if (!string.IsNullOrEmpty(Comment)) text.Append(" (").Append(AuthenticationResultsFormat.EscapeComment(Comment)).Append(')');
        foreach (var property in Properties) text.Append(' ').Append(property);
        return text.ToString();
    }
}

/// <summary>ptype.property=value, e.g. smtp.mailfrom=example.com. A lenient parse keeps
/// non-standard "name=value" pairs (such as Microsoft's action=none) with an empty <see cref="Type"/>.</summary>
public sealed record AuthenticationResultProperty(string Type, string Property, string Value)
{
    public string Name => Type.Length == 0 ? Property : Type + "." + Property;

    public static AuthenticationResultProperty Parse(string name, string value)
    {
        var dot = name.IndexOf('.', StringComparison.Ordinal);
        return dot < 0 ? new AuthenticationResultProperty(string.Empty, name, value) : new AuthenticationResultProperty(name[..dot], name[(dot + 1)..], value);
    }

    public override string ToString() => Name + "=" + AuthenticationResultsFormat.PropertyValue(Value);
}
