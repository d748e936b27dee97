using System.Collections.Concurrent;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Tests.Support;

/// <summary>The in-memory backend: accounts with passwords, each with INBOX, Sent, Drafts, Junk, Trash and Archive.</summary>
public sealed class InMemoryBackend : IImapBackend
{
    private readonly ConcurrentDictionary<string, InMemoryAccount> _accounts = new(StringComparer.Ordinal);
    private long _nextId;

    public int OpenStores;

    public InMemoryAccount AddAccount(string login, string password, long? quotaLimit = null)
    {
        var account = new InMemoryAccount(Interlocked.Increment(ref _nextId), login, password, quotaLimit);
        lock (account.Lock)
        {
            account.CreateLocked("INBOX");
            account.CreateLocked("Sent", "\\Sent");
            account.CreateLocked("Drafts", "\\Drafts");
            account.CreateLocked("Junk", "\\Junk");
            account.CreateLocked("Trash", "\\Trash");
            account.CreateLocked("Archive", "\\Archive");
        }
        _accounts[login] = account;
        return account;
    }

    public InMemoryAccount Account(string login) => _accounts[login];

    public ValueTask<ImapPrincipal?> AuthenticateAsync(string login, string password, CancellationToken ct) =>
        new(_accounts.TryGetValue(login, out var account) && account.Password == password ? new ImapPrincipal(account.Id, account.Login) : null);

    public ValueTask<IImapStore> OpenStoreAsync(ImapPrincipal principal, CancellationToken ct)
    {
        Interlocked.Increment(ref OpenStores);
        return new(new InMemoryStore(_accounts[principal.Login], () => Interlocked.Decrement(ref OpenStores)));
    }
}
