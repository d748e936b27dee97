using System.Collections.Concurrent;

namespace Estafeta.Imap.Session;

/// <summary>Counts the open sessions of each account, to refuse logins beyond the limit.</summary>
internal sealed class AccountSessions(int limit)
{
    private readonly ConcurrentDictionary<long, int> _counts = new();

    public int Count(long accountId) => _counts.GetValueOrDefault(accountId);

    /// <summary>Takes a place for a session of the account; false when the account has no place left.</summary>
    public bool TryEnter(long accountId)
    {
        while (true)
        {
            var current = _counts.GetValueOrDefault(accountId);
            if (current >= limit) return false;
            if (current == 0 ? _counts.TryAdd(accountId, 1) : _counts.TryUpdate(accountId, current + 1, current)) return true;
        }
    }

    public void Leave(long accountId)
    {
        while (true)
        {
            var current = _counts.GetValueOrDefault(accountId);
            if (current <= 1)
            {
                if (current == 0 || _counts.TryRemove(new KeyValuePair<long, int>(accountId, current))) return;
            }
            else if (_counts.TryUpdate(accountId, current - 1, current)) return;
        }
    }
}
