using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>Where a contact stands with one list. Only <see cref="Subscribed"/> receives list mail.</summary>
public enum SubscriptionStatus
{
    Unconfirmed,
    Subscribed,
    Unsubscribed,
    Bounced,
    Complained,
}

public static class SubscriptionStatuses
{
    public static string Name(SubscriptionStatus status) => status switch
    {
        SubscriptionStatus.Unconfirmed => "unconfirmed",
        SubscriptionStatus.Subscribed => "subscribed",
        SubscriptionStatus.Unsubscribed => "unsubscribed",
        SubscriptionStatus.Bounced => "bounced",
        _ => "complained",
    };

    public static SubscriptionStatus Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "unconfirmed" => SubscriptionStatus.Unconfirmed,
        "subscribed" => SubscriptionStatus.Subscribed,
        "unsubscribed" => SubscriptionStatus.Unsubscribed,
        "bounced" => SubscriptionStatus.Bounced,
        "complained" => SubscriptionStatus.Complained,
        _ => throw new InvalidInputException($"'{name}' is not a subscription status (unconfirmed, subscribed, unsubscribed, bounced, complained)"),
    };
}
