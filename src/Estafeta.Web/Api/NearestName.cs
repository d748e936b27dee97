using Estafeta.Marketing.Audience;

namespace Estafeta.Web.Api;

/// <summary>The name a misspelt one was probably meant to be, for "did you mean" in the API's answers.</summary>
internal static class NearestName
{
    /// <summary>The candidate at most two edits from <paramref name="name"/> (letters compared in lower case), the
    /// nearest first; null when none is that near.</summary>
    public static string? Of(string name, IEnumerable<string> candidates)
    {
        var lower = name.ToLowerInvariant();
        return candidates.Select(c => (Name: c, Distance: ProviderTypos.Distance(lower, c.ToLowerInvariant())))
            .Where(c => c.Distance <= 2).OrderBy(c => c.Distance).Select(c => c.Name).FirstOrDefault();
    }

    /// <summary>" (did you mean 'x'?)" when a candidate is near, else nothing.</summary>
    public static string Suggestion(string name, IEnumerable<string> candidates) =>
        Of(name, candidates) is { } nearest ? $" (did you mean '{nearest}'?)" : "";
}
