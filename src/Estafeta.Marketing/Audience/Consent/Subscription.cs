namespace Estafeta.Marketing.Audience;

/// <summary>A contact's standing with a list.</summary>
public sealed record Subscription(long ContactId, string Email, long ListId, string ListName, SubscriptionStatus Status, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
