namespace Estafeta.Marketing.Audience;

/// <summary>A person asking to join a list (form or API).</summary>
public sealed record SubscribeRequest(string Email, string? Name = null, string? Language = null)
{
    public IReadOnlyDictionary<string, string?>? Fields { get; init; }
}

/// <summary>What a subscription request did.</summary>
public enum SubscribeOutcome
{
    /// <summary>Single opt-in: subscribed now.</summary>
    Subscribed,
    /// <summary>Double opt-in: unconfirmed, and a confirmation mail was sent.</summary>
    ConfirmationSent,
    /// <summary>Already subscribed: nothing changed.</summary>
    AlreadySubscribed,
    /// <summary>The address is suppressed: nothing changed and no mail was sent.</summary>
    Suppressed,
}

public sealed record SubscribeResult(SubscribeOutcome Outcome, long? ContactId);
