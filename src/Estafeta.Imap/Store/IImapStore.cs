namespace Estafeta.Imap.Store;

/// <summary>
/// The mailboxes of one authenticated user, opened for one IMAP session.
///
/// Names: the engine passes names in Unicode (NFC) with "/" as the hierarchy separator, already checked
/// (no empty level, no leading or trailing "/", no "*", "%" or control characters) and with a first level
/// spelled INBOX in any case rewritten to "INBOX". The store compares the rest case-sensitively.
///
/// Results: failures a client can cause are values (<see cref="StoreOutcome"/>), never exceptions; an
/// exception means the store itself failed, and the engine answers "NO [SERVERBUG]" / "[UNAVAILABLE]"
/// without ending the session.
/// </summary>
public interface IImapStore : IAsyncDisposable
{
    /// <summary>Every mailbox of the user, in any order. Parents that exist only as levels of deeper names
    /// need not be listed: the engine reports them as \NonExistent when a pattern matches them.</summary>
    ValueTask<IReadOnlyList<MailboxEntry>> ListMailboxesAsync(CancellationToken ct);

    /// <summary>Creates a mailbox (and any missing parent levels) with a fresh UIDVALIDITY that no earlier
    /// mailbox of this name had. <paramref name="specialUse"/> is one of the RFC 6154 attributes
    /// ("\Sent", "\Drafts", "\Junk", "\Trash", "\Archive") or null.
    /// Returns <see cref="StoreOutcome.AlreadyExists"/> when the name is taken.</summary>
    ValueTask<StoreOutcome> CreateMailboxAsync(string name, string? specialUse, CancellationToken ct);

    /// <summary>Deletes a mailbox and its messages; mailboxes below it stay. INBOX is never passed.
    /// Returns <see cref="StoreOutcome.NoSuchMailbox"/> when it does not exist.</summary>
    ValueTask<StoreOutcome> DeleteMailboxAsync(string name, CancellationToken ct);

    /// <summary>Renames a mailbox and every mailbox below it, keeping UIDVALIDITY and UIDs. Renaming INBOX
    /// is never passed here (the engine turns it into a move of all INBOX messages, RFC 9051 §6.3.6).</summary>
    ValueTask<StoreOutcome> RenameMailboxAsync(string from, string to, CancellationToken ct);

    /// <summary>Adds or removes a mailbox from the subscription list. Subscribing to a name that does not
    /// exist may be refused with <see cref="StoreOutcome.NoSuchMailbox"/>.</summary>
    ValueTask<StoreOutcome> SetSubscribedAsync(string name, bool subscribed, CancellationToken ct);

    /// <summary>The counters of STATUS (and LIST RETURN (STATUS)), or null when the mailbox does not exist.
    /// Must not need the mailbox to be open.</summary>
    ValueTask<MailboxStatus?> GetStatusAsync(string name, CancellationToken ct);

    /// <summary>Opens a mailbox for SELECT or EXAMINE, or returns null when it does not exist. The engine keeps
    /// at most one mailbox open per session and disposes it on CLOSE, UNSELECT, another SELECT or logout.</summary>
    ValueTask<IImapMailbox?> OpenMailboxAsync(string name, CancellationToken ct);

    /// <summary>
    /// Adds a message to a mailbox (APPEND). <paramref name="content"/> is the message exactly as the client
    /// sent it, readable once, <paramref name="length"/> octets. The new message gets the next UID and a new
    /// modseq, which makes it visible to every open <see cref="IImapMailbox"/> of that mailbox through
    /// <see cref="IImapMailbox.GetChangesAsync"/>, and completes their <see cref="IImapMailbox.WaitForChangeAsync"/>.
    /// <paramref name="internalDate"/> null means now. Returns <see cref="StoreOutcome.OverQuota"/> when the
    /// message does not fit the user's quota.
    /// </summary>
    ValueTask<AppendResult> AppendAsync(string name, Stream content, long length, MessageFlags flags,
        IReadOnlyList<string> keywords, DateTimeOffset? internalDate, CancellationToken ct);

    /// <summary>The user's storage usage and limit (RFC 9208 STORAGE, in octets). One quota root covers
    /// every mailbox of the user.</summary>
    ValueTask<QuotaUsage> GetQuotaAsync(CancellationToken ct);
}
