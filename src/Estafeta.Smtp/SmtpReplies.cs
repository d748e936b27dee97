namespace Estafeta.Smtp;

/// <summary>Replies a policy or sink commonly answers with.</summary>
public static class SmtpReplies
{
    public static SmtpReply Ok { get; } = new(250, "2.0.0", "Ok");
    public static SmtpReply SenderOk { get; } = new(250, "2.1.0", "Sender ok");
    public static SmtpReply RecipientOk { get; } = new(250, "2.1.5", "Recipient ok");

    /// <summary>250 2.0.0 Ok: queued as <paramref name="id"/>.</summary>
    public static SmtpReply Queued(string id) => new(250, "2.0.0", $"Ok: queued as {id}");

    /// <summary>550 5.1.1: no such mailbox here.</summary>
    public static SmtpReply UnknownUser(string address) => new(550, "5.1.1", $"<{address}>: Recipient address rejected: no such user here");

    /// <summary>550 5.7.1: the recipient is not ours and the client may not relay.</summary>
    public static SmtpReply RelayDenied(string address) => new(550, "5.7.1", $"<{address}>: Relay access denied");

    /// <summary>452 4.2.2: the mailbox is over its quota.</summary>
    public static SmtpReply MailboxFull(string address) => new(452, "4.2.2", $"<{address}>: Mailbox full, try again later");

    /// <summary>451 4.3.0: something failed on our side; the client tries again later.</summary>
    public static SmtpReply LocalError { get; } = new(451, "4.3.0", "Local error in processing, try again later");

    /// <summary>452 4.3.1: no room to store the message now.</summary>
    public static SmtpReply InsufficientStorage { get; } = new(452, "4.3.1", "Insufficient system storage, try again later");

    /// <summary>554 5.7.1: the message is refused by content or policy.</summary>
    public static SmtpReply MessageRejected(string reason) => new(554, "5.7.1", reason);
}
