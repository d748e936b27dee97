namespace Estafeta.Marketing.Audience;

/// <summary>Through what a consent change came in.</summary>
public enum ConsentSourceKind
{
    /// <summary>A hosted or embedded subscription form.</summary>
    Form,
    /// <summary>The REST API; the source names the API key.</summary>
    Api,
    /// <summary>A file import; the source is what the operator stated.</summary>
    Import,
    /// <summary>A signed link (confirmation, one-click unsubscribe, preference centre).</summary>
    Link,
    /// <summary>A mail to the unsubscribe address.</summary>
    Mail,
    /// <summary>An operator on the command line.</summary>
    Operator,
    /// <summary>Estafeta itself (bounces, complaints, expiry).</summary>
    System,
}

/// <summary>
/// The proof kept with every subscription change: through which form, API key, import or link, from which IP
/// and user agent, and the exact text the person agreed to.
/// </summary>
public sealed record ConsentEvidence(ConsentSourceKind Kind, string Source, string? Ip = null, string? UserAgent = null, string? ConsentText = null)
{
    public static string KindName(ConsentSourceKind kind) => kind.ToString().ToLowerInvariant();
}

/// <summary>One stored consent change.</summary>
public sealed record ConsentRecord(long Id, long ContactId, long? ListId, string? ListName, SubscriptionStatus Status, ConsentEvidence Evidence, DateTimeOffset At);
