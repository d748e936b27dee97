namespace Estafeta.Marketing.Audience;

/// <summary>How much an address can be trusted: valid, risky (mail may work but should be looked at), or invalid (never mailed).</summary>
public enum AddressVerdict
{
    Valid,
    Risky,
    Invalid,
}

/// <summary>
/// The outcome of checking one address. <see cref="Flags"/> names each finding (<c>syntax</c>,
/// <c>no-mail-domain</c>, <c>dns-unknown</c>, <c>disposable</c>, <c>role</c>, <c>typo</c>);
/// <see cref="Suggestion"/> is the likely intended address when the domain looks like a misspelt provider.
/// </summary>
public sealed record AddressValidation(
    string Input,
    string? Canonical,
    AddressVerdict Verdict,
    IReadOnlyList<string> Flags,
    string? Suggestion,
    string? Problem)
{
    public static string VerdictName(AddressVerdict verdict) => verdict switch
    {
        AddressVerdict.Valid => "valid",
        AddressVerdict.Risky => "risky",
        _ => "invalid",
    };

    /// <summary>One line for reports: the verdict's reasons and the suggestion.</summary>
    public string Describe()
    {
        var parts = new List<string>();
        if (Problem is not null) parts.Add(Problem);
        foreach (var flag in Flags.Where(f => f != "syntax"))
        {
            parts.Add(flag switch
            {
                "disposable" => "disposable address domain",
                "role" => "role address (not a person)",
                "typo" => $"did you mean {Suggestion}?",
                "dns-unknown" => "the domain's DNS could not be checked",
                "no-mail-domain" => "the domain has no MX or A record",
                _ => flag,
            });
        }

        return string.Join("; ", parts.Distinct(StringComparer.Ordinal));
    }
}
