namespace Estafeta.MailAuth.Spf;

/// <summary>The outcome of one SPF evaluation.</summary>
public sealed record SpfCheckResult
{
    public required SpfResult Result { get; init; }

    /// <summary>The domain whose policy was checked (the identity's domain).</summary>
    public required string Domain { get; init; }

    /// <summary>The explanation for a fail result (from exp=, or the default); null otherwise.</summary>
    public string? Explanation { get; init; }

    /// <summary>The mechanism that decided the result, as written (e.g. "-all", "include:_spf.example.com");
    /// null when none matched.</summary>
    public string? Mechanism { get; init; }

    /// <summary>The domain whose record held <see cref="Mechanism"/> (differs from <see cref="Domain"/> after redirect).</summary>
    public string? MechanismDomain { get; init; }

    /// <summary>DNS-querying mechanisms and modifiers evaluated (the limit is 10).</summary>
    public int LookupCount { get; init; }

    /// <summary>DNS-querying terms that found nothing (the limit is 2).</summary>
    public int VoidLookupCount { get; init; }

    /// <summary>Why the result is none, temperror or permerror.</summary>
    public string? Problem { get; init; }

    /// <summary>The syntax error behind a permerror, with the record it was found in.</summary>
    public SpfSyntaxError? SyntaxError { get; init; }

    public override string ToString() => Mechanism is null
        ? $"{Result} ({Domain}){(Problem is null ? string.Empty : ": " + Problem)}"
        : $"{Result} ({Domain}, {Mechanism})";
}
