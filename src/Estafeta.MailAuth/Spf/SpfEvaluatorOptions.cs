namespace Estafeta.MailAuth.Spf;

/// <summary>Limits and texts of <see cref="SpfEvaluator"/>. The defaults are those of RFC 7208 §4.6.4.</summary>
public sealed record SpfEvaluatorOptions
{
    /// <summary>Mechanisms and modifiers that cause DNS lookups, over the whole evaluation.</summary>
    public int MaxDnsLookups { get; init; } = 10;

    /// <summary>DNS-querying terms whose answer was empty or NXDOMAIN.</summary>
    public int MaxVoidLookups { get; init; } = 2;

    /// <summary>MX records an "mx" mechanism may have, and PTR names a "ptr" mechanism (or %{p}) examines.</summary>
    public int MaxNamesPerMechanism { get; init; } = 10;

    /// <summary>The explanation (a macro-string, c, r and t allowed) used on fail when the record gives none.</summary>
    public string DefaultExplanation { get; init; } = "The SPF record of %{d} does not permit %{c} to send its mail";

    /// <summary>This host's domain, the %{r} macro of explanations.</summary>
    public string ReceivingHost { get; init; } = "unknown";

    /// <summary>Longest an evaluation may take before it ends in temperror (RFC 7208 §4.6.4 suggests at least 20 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(20);

    /// <summary>Parsed records kept, keyed by their text.</summary>
    public int RecordCacheCapacity { get; init; } = 10_000;
}
