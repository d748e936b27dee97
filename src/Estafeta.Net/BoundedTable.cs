using System.Collections.Concurrent;

namespace Estafeta.Net;

/// <summary>Keeps a table of per-client state (rate counters, login failures) bounded: once it holds more than
/// <see cref="Capacity"/> entries, the stale ones are dropped (when <c>due</c> says a sweep is due, so no request pays for
/// walking the whole table each time), and if it is still over (a flood of fresh clients) it starts over. Memory stays
/// bounded either way. Thread-safe: one sweep at a time.</summary>
public sealed class BoundedTable(int capacity)
{
    private readonly Lock sweeping = new();

    public int Capacity { get; } = capacity;

    /// <summary>Call after adding to <paramref name="table"/>. <paramref name="due"/> is asked under the lock, once the
    /// table is over capacity, whether to sweep now (it may note the time); <paramref name="stale"/> says which entries
    /// to drop.</summary>
    public void Keep<TKey, TValue>(ConcurrentDictionary<TKey, TValue> table, Func<bool> due, Func<TValue, bool> stale) where TKey : notnull
    {
        if (table.Count <= Capacity) return;
        lock (sweeping)
        {
            if (table.Count <= Capacity) return;
            if (due())
            {
                foreach (var (key, value) in table)
                    if (stale(value)) table.TryRemove(key, out _);
            }

            if (table.Count > Capacity) table.Clear();
        }
    }
}
