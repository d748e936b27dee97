namespace Estafeta.Mail.Feedback;

/// <summary>What a failure says about the recipient address, for list hygiene.</summary>
public enum BounceClass
{
    /// <summary>The address does not work and will not (unknown user, domain gone, account disabled).</summary>
    Hard,

    /// <summary>A passing problem (server busy, greylisting, message too large, network trouble).</summary>
    Soft,

    /// <summary>The mailbox is full; it may drain.</summary>
    MailboxFull,

    /// <summary>Refused as spam or by policy (reputation, block lists, content): a sender problem, not an address problem.</summary>
    Blocked,
}

public static class BounceClassNames
{
    /// <summary>The stored name: hard, soft, mailbox_full, blocked.</summary>
    public static string Name(this BounceClass c) => c switch
    {
        BounceClass.Hard => "hard",
        BounceClass.Soft => "soft",
        BounceClass.MailboxFull => "mailbox_full",
        _ => "blocked",
    };
}
