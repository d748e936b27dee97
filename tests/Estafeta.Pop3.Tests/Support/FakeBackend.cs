using System.Collections.Concurrent;
using System.Text;

namespace Estafeta.Pop3.Tests.Support;

/// <summary>An in-memory mail store: accounts with passwords and messages, one lock per maildrop,
/// and a record of what was deleted.</summary>
public sealed class FakeBackend : IPop3Backend
{
    private readonly ConcurrentDictionary<string, FakeAccount> _accounts = new(StringComparer.Ordinal);
    private long _nextId;
    private int _authenticateCalls;

    public int AuthenticateCalls => Volatile.Read(ref _authenticateCalls);
    public Exception? AuthenticateFailure { get; set; }

    public FakeAccount AddAccount(string login, string password, params string[] messages) =>
        AddAccount(login, password, messages.Select(m => Encoding.UTF8.GetBytes(m)));

    public FakeAccount AddAccount(string login, string password, IEnumerable<byte[]> messages)
    {
        var account = new FakeAccount(_accounts.Count + 1, login, password);
        foreach (var bytes in messages)
        {
            var id = Interlocked.Increment(ref _nextId);
            account.Stored.Add(new StoredMessage(id, $"uid-{id}", bytes));
        }
        _accounts[login] = account;
        return account;
    }

    public ValueTask<Pop3Principal?> AuthenticateAsync(string login, string password, CancellationToken ct)
    {
        Interlocked.Increment(ref _authenticateCalls);
        if (AuthenticateFailure is { } failure) throw failure;
        var principal = _accounts.TryGetValue(login, out var account) && account.Password == password
            ? new Pop3Principal(account.Id, account.Login)
            : null;
        return ValueTask.FromResult(principal);
    }

    public ValueTask<IMaildrop?> OpenMaildropAsync(Pop3Principal principal, CancellationToken ct)
    {
        var account = _accounts[principal.Login];
        return ValueTask.FromResult<IMaildrop?>(account.TryLock());
    }
}

public sealed record StoredMessage(long Id, string UniqueId, byte[] Bytes);

public sealed class FakeAccount(long id, string login, string password)
{
    private readonly object _gate = new();
    private bool _locked;
    private TaskCompletionSource _released = Unlocked();

    public long Id { get; } = id;
    public string Login { get; } = login;
    public string Password { get; } = password;
    public List<StoredMessage> Stored { get; } = [];
    public List<long> DeletedIds { get; } = [];
    public int Commits { get; private set; }
    public Exception? CommitFailure { get; set; }
    public Func<CancellationToken, Task>? BeforeOpen { get; set; }
    public Exception? OpenFailure { get; set; }

    private static TaskCompletionSource Unlocked()
    {
        var released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        released.SetResult();
        return released;
    }

    public bool IsLocked { get { lock (_gate) return _locked; } }

    /// <summary>Completes when the session holding the lock releases it; complete while nobody holds it.</summary>
    public Task Released { get { lock (_gate) return _released.Task; } }

    public IReadOnlyList<StoredMessage> Snapshot() { lock (_gate) return Stored.ToList(); }

    internal IMaildrop? TryLock()
    {
        lock (_gate)
        {
            if (_locked) return null;
            _locked = true;
            _released = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return new FakeMaildrop(this, Stored.ToList());
        }
    }

    private void Unlock()
    {
        TaskCompletionSource released;
        lock (_gate)
        {
            _locked = false;
            released = _released;
        }
        released.TrySetResult();
    }

    private void Delete(IReadOnlyList<MaildropMessage> messages)
    {
        lock (_gate)
        {
            if (CommitFailure is { } failure) throw failure;
            Commits++;
            foreach (var m in messages)
            {
                DeletedIds.Add(m.Id);
                Stored.RemoveAll(s => s.Id == m.Id);
            }
        }
    }

    private sealed class FakeMaildrop(FakeAccount account, List<StoredMessage> snapshot) : IMaildrop
    {
        private int _disposed;

        public IReadOnlyList<MaildropMessage> Messages { get; } =
            snapshot.Select(s => new MaildropMessage(s.Id, s.UniqueId, s.Bytes.Length)).ToList();

        public async ValueTask<Stream> OpenAsync(MaildropMessage message, CancellationToken ct)
        {
            if (account.BeforeOpen is { } before) await before(ct);
            if (account.OpenFailure is { } failure) throw failure;
            return new MemoryStream(snapshot.Single(s => s.Id == message.Id).Bytes, writable: false);
        }

        public ValueTask CommitDeletionsAsync(IReadOnlyList<MaildropMessage> deleted, CancellationToken ct)
        {
            account.Delete(deleted);
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0) account.Unlock();
            return ValueTask.CompletedTask;
        }
    }
}
