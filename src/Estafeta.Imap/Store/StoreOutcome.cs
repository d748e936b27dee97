namespace Estafeta.Imap.Store;

/// <summary>Why a store operation did not happen, as far as a client can cause it.</summary>
public enum StoreOutcome
{
    Ok,
    NoSuchMailbox,
    AlreadyExists,
    OverQuota,
    /// <summary>Not allowed for this mailbox (e.g. creating a child of a mailbox that cannot have one).</summary>
    NotPermitted,
}
