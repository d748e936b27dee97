using System.Collections.Concurrent;

namespace Estafeta.Web;

/// <summary>
/// Counts events per key in fixed windows (per API key per minute, per client address per hour). In memory,
/// per process; bounded: past <see cref="Capacity"/> keys the counters of past windows are dropped (once a window),
/// and when the current window alone holds more (a flood of new addresses) it starts over, so memory stays bounded and
/// no request pays for walking the whole table. Thread-safe.
/// </summary>
public sealed class FixedWindowLimiter(TimeSpan window, TimeProvider time)
{
    /// <summary>The keys kept before the table is cleaned.</summary>
    public const int Capacity = 100_000;

    private readonly ConcurrentDictionary<string, Counter> counters = new(StringComparer.Ordinal);
    private readonly Lock cleaning = new();
    private long prunedWindow = -1;

    /// <summary>How many keys are counted now (for tests and metrics).</summary>
    public int Count => counters.Count;

    /// <summary>True when the event is allowed; otherwise <paramref name="retryAfter"/> says when the window ends.</summary>
    public bool TryAcquire(string key, int limit, out TimeSpan retryAfter)
    {
        var now = time.GetUtcNow();
        var windowStart = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % window.Ticks), TimeSpan.Zero);
        var counter = counters.AddOrUpdate(key, _ => new Counter(windowStart, 1), (_, c) => c.Start == windowStart ? c with { Count = c.Count + 1 } : new Counter(windowStart, 1));
        retryAfter = windowStart + window - now;
        if (counters.Count > Capacity) Clean(windowStart);
        return counter.Count <= limit;
    }

    private void Clean(DateTimeOffset current)
    {
        lock (cleaning)
        {
            if (counters.Count <= Capacity) return;
            if (prunedWindow != current.UtcTicks)
            {
                prunedWindow = current.UtcTicks;
                foreach (var (key, counter) in counters)
                {
                    if (counter.Start < current) counters.TryRemove(key, out _);
                }
            }

            // Still full with this window's keys alone: start over rather than grow or walk the table on every request.
            if (counters.Count > Capacity) counters.Clear();
        }
    }

    private sealed record Counter(DateTimeOffset Start, int Count);
}
