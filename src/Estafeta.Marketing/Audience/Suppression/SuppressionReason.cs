using Estafeta.Storage;

namespace Estafeta.Marketing.Audience;

/// <summary>Why an address is on the global suppression list; every send honours it whatever the reason.</summary>
public enum SuppressionReason
{
    /// <summary>The person unsubscribed from everything.</summary>
    Unsubscribed,
    HardBounce,
    Complaint,
    Manual,
    /// <summary>The contact was erased on request; only the hash of the address is kept.</summary>
    Erased,
}

public static class SuppressionReasons
{
    public static string Name(SuppressionReason reason) => reason switch
    {
        SuppressionReason.Unsubscribed => "unsubscribed",
        SuppressionReason.HardBounce => "hard-bounce",
        SuppressionReason.Complaint => "complaint",
        SuppressionReason.Manual => "manual",
        _ => "erased",
    };

    public static SuppressionReason Parse(string name) => name.Trim().ToLowerInvariant() switch
    {
        "unsubscribed" => SuppressionReason.Unsubscribed,
        "hard-bounce" or "hard_bounce" or "bounce" => SuppressionReason.HardBounce,
        "complaint" => SuppressionReason.Complaint,
        "manual" => SuppressionReason.Manual,
        "erased" => SuppressionReason.Erased,
        _ => throw new InvalidInputException($"'{name}' is not a suppression reason (unsubscribed, hard-bounce, complaint, manual)"),
    };
}
