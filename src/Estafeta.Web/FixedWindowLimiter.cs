using System.Collections.Concurrent;

namespace Estafeta.Web;

/// <summary>
/// Counts events per key in fixed windows (per API key per minute, per client address per hour). In memory,
/// per process; old windows are dropped as keys are touched. Thread-safe.
/// </summary>
public sealed class FixedWindowLimiter(TimeSpan window, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Counter> counters = new(StringComparer.Ordinal);

    /// <summary>True when the event is allowed; otherwise <paramref name="retryAfter"/> says when the window ends.</summary>
    public bool TryAcquire(string key, int limit, out TimeSpan retryAfter)
    {
        var now = time.GetUtcNow();
        var windowStart = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % window.Ticks), TimeSpan.Zero);
        var counter = counters.AddOrUpdate(key, _ => new Counter(windowStart, 1), (_, c) => c.Start == windowStart ? c with { Count = c.Count + 1 } : new Counter(windowStart, 1));
        retryAfter = windowStart + window - now;
        if (counters.Count > 100_000) Prune(windowStart);
        return counter.Count <= limit;
    }

    private void Prune(DateTimeOffset current)
    {
        foreach (var (key, counter) in counters)
        {
            if (counter.Start < current) counters.TryRemove(key, out _);
        }
    }

    private sealed record Counter(DateTimeOffset Start, int Count);
}
