namespace Estafeta.Imap.Store;

/// <summary>An authenticated mailbox owner.</summary>
public sealed record ImapPrincipal(long AccountId, string Login);

/// <summary>
/// What the IMAP engine needs before login: checking credentials, and opening the store of the user who
/// logged in. Everything after login goes through that user's <see cref="IImapStore"/>, so a session can
/// only ever see the mailboxes of the account it authenticated as.
/// </summary>
public interface IImapBackend
{
    /// <summary>The principal for these credentials, or null when they are wrong. The engine delays the
    /// answer to failures and refuses addresses that fail too often (<see cref="Estafeta.Net.LoginThrottle"/>).</summary>
    ValueTask<ImapPrincipal?> AuthenticateAsync(string login, string password, CancellationToken ct);

    /// <summary>The store of this user's mailboxes, for one session; disposed when the session ends.</summary>
    ValueTask<IImapStore> OpenStoreAsync(ImapPrincipal principal, CancellationToken ct);
}
