namespace Estafeta.Imap.Store;

/// <summary>The IMAP system flags (RFC 9051 §2.3.2). Keywords travel beside them as strings.</summary>
[Flags]
public enum MessageFlags
{
    None = 0,
    Seen = 1,
    Answered = 2,
    Flagged = 4,
    Deleted = 8,
    Draft = 16,
}

/// <summary>How STORE combines the given flags with a message's flags.</summary>
public enum FlagOperation
{
    /// <summary>FLAGS: the message gets exactly these flags and keywords.</summary>
    Replace,
    /// <summary>+FLAGS</summary>
    Add,
    /// <summary>-FLAGS</summary>
    Remove,
}
