namespace Estafeta.Storage;

/// <summary>The IMAP system flags, stored as a bitmask. Keywords are stored beside them as text.</summary>
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
