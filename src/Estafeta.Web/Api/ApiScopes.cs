using Estafeta.Storage;

namespace Estafeta.Web.Api;

/// <summary>
/// What an API key may do. <c>AREA:write</c> includes <c>AREA:read</c>; <c>*</c> is every scope.
/// </summary>
public static class ApiScopes
{
    public static readonly IReadOnlyList<string> All =
    [
        "contacts:read", "contacts:write", "lists:read", "lists:write", "segments:read", "segments:write",
        "suppression:read", "suppression:write", "imports:read", "imports:write", "privacy:read", "privacy:write",
    ];

    public static IReadOnlyList<string> Parse(IEnumerable<string> scopes)
    {
        var result = new List<string>();
        foreach (var raw in scopes.SelectMany(s => s.Split([',', ' '], StringSplitOptions.RemoveEmptyEntries)))
        {
            var scope = raw.Trim().ToLowerInvariant();
            if (scope != "*" && !All.Contains(scope)) throw new InvalidInputException($"'{raw}' is not a scope ({string.Join(", ", All)}, or *)");
            if (!result.Contains(scope)) result.Add(scope);
        }

        if (result.Count == 0) throw new InvalidInputException($"give at least one --scope ({string.Join(", ", All)}, or *)");
        return result;
    }

    public static bool Allows(IReadOnlyList<string> granted, string needed)
    {
        if (granted.Contains("*") || granted.Contains(needed)) return true;
        return needed.EndsWith(":read", StringComparison.Ordinal) && granted.Contains(needed[..^5] + ":write");
    }
}
