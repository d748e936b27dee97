using System.Collections.Concurrent;

namespace Estafeta.MailAuth.Dns;

/// <summary>A bounded cache of finished lookups keyed by record type and lower-cased name.
/// It stores the completed task itself, so a hit costs no allocation.</summary>
internal sealed class DnsAnswerCache(int capacity, TimeProvider time)
{
    private readonly ConcurrentDictionary<(int Type, string Name), Entry> _entries = new();
    private readonly Lock _sweepLock = new();

    public int Count => _entries.Count;

    public bool TryGet<T>(int type, string name, out Task<DnsAnswer<T>> answer)
    {
        if (_entries.TryGetValue((type, name), out var entry))
        {
            if (time.GetTimestamp() < entry.ExpiresAt)
            {
                answer = (Task<DnsAnswer<T>>)entry.Answer;
                return true;
            }

            _entries.TryRemove(new KeyValuePair<(int, string), Entry>((type, name), entry));
        }

        answer = null!;
        return false;
    }

    public void Set<T>(int type, string name, Task<DnsAnswer<T>> answer, TimeSpan ttl)
    {
        if (capacity == 0 || ttl <= TimeSpan.Zero)
        {
            return;
        }

        if (_entries.Count >= capacity)
        {
            MakeRoom();
        }

        var expiresAt = time.GetTimestamp() + (long)(ttl.TotalSeconds * time.TimestampFrequency);
        _entries[(type, name)] = new Entry(answer, expiresAt);
    }

    public void Clear() => _entries.Clear();

    /// <summary>Drops expired entries; when that frees too little, drops entries closest to expiry
    /// until the cache is at three quarters of its capacity.</summary>
    private void MakeRoom()
    {
        lock (_sweepLock)
        {
            if (_entries.Count < capacity)
            {
                return;
            }

            var now = time.GetTimestamp();
            foreach (var pair in _entries)
            {
                if (pair.Value.ExpiresAt <= now)
                {
                    _entries.TryRemove(pair);
                }
            }

            var target = capacity * 3 / 4;
            var excess = _entries.Count - target;
            if (excess <= 0)
            {
                return;
            }

            var soonest = _entries.ToArray();
            Array.Sort(soonest, static (a, b) => a.Value.ExpiresAt.CompareTo(b.Value.ExpiresAt));
            for (var i = 0; i < excess && i < soonest.Length; i++)
            {
                _entries.TryRemove(soonest[i]);
            }
        }
    }

    private sealed record Entry(object Answer, long ExpiresAt);
}
