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
    private readonly Estafeta.Net.BoundedTable bound = new(Capacity);
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
        // Checked here first: the lambdas are only made once the table is over its capacity.
        if (counters.Count > Capacity) bound.Keep(counters, () => PruneDue(windowStart), c => c.Start < windowStart);
        return counter.Count <= limit;
    }

    /// <summary>Past windows' counters are dropped once per window.</summary>
    private bool PruneDue(DateTimeOffset current)
    {
        if (prunedWindow == current.UtcTicks) return false;
        prunedWindow = current.UtcTicks;
        return true;
    }

    private sealed record Counter(DateTimeOffset Start, int Count);
}
