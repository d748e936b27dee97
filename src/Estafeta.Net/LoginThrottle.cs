using System.Collections.Concurrent;
using System.Net;

namespace Estafeta.Net;

/// <summary>
/// Failed logins per client address, shared by every listener of a protocol: each failure makes
/// the next answer slower (a delay that doubles up to <see cref="MaxDelay"/>), and after
/// <see cref="MaxFailures"/> failures within <see cref="Window"/> the address is refused outright
/// until the window has passed without failures. A success clears the address. A client is counted as
/// <see cref="ClientNetwork.Of"/> says (an IPv6 one by its /64). Bounded: past
/// <see cref="Capacity"/> addresses the old ones are swept (at most once a minute), and when the window alone holds more
/// the table starts over, so memory stays bounded and no failure pays for walking the whole table.
/// </summary>
public sealed class LoginThrottle(TimeProvider clock, int maxFailures = 10, TimeSpan? window = null, TimeSpan? firstDelay = null, TimeSpan? maxDelay = null)
{
    /// <summary>The client addresses kept before the table is swept.</summary>
    public const int Capacity = 100_000;

    private static readonly TimeSpan SweepInterval = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<IPAddress, Entry> _entries = new();
    private readonly BoundedTable _bound = new(Capacity);
    private DateTimeOffset _lastSweep = DateTimeOffset.MinValue;

    /// <summary>How many client addresses are counted now.</summary>
    public int Count => _entries.Count;

    public int MaxFailures { get; } = maxFailures;
    public TimeSpan Window { get; } = window ?? TimeSpan.FromMinutes(15);
    public TimeSpan FirstDelay { get; } = firstDelay ?? TimeSpan.FromMilliseconds(500);
    public TimeSpan MaxDelay { get; } = maxDelay ?? TimeSpan.FromSeconds(8);

    private sealed record Entry(int Failures, DateTimeOffset Last);

    /// <summary>True when this address has failed too often and must be refused without checking the password.</summary>
    public bool IsBlocked(IPAddress address) => Current(address) is { } e && e.Failures >= MaxFailures;

    /// <summary>Records a failure and returns how long to wait before answering it.</summary>
    public TimeSpan RecordFailure(IPAddress address)
    {
        var now = clock.GetUtcNow();
        var entry = _entries.AddOrUpdate(ClientNetwork.Of(address), _ => new Entry(1, now),
            (_, old) => now - old.Last > Window ? new Entry(1, now) : new Entry(old.Failures + 1, now));
        if (_entries.Count > Capacity) _bound.Keep(_entries, () => SweepDue(now), e => now - e.Last > Window);
        var factor = Math.Pow(2, Math.Min(entry.Failures - 1, 20));
        var delay = TimeSpan.FromTicks((long)Math.Min(FirstDelay.Ticks * factor, MaxDelay.Ticks));
        return delay;
    }

    public void RecordSuccess(IPAddress address) => _entries.TryRemove(ClientNetwork.Of(address), out _);

    private Entry? Current(IPAddress address)
    {
        if (!_entries.TryGetValue(ClientNetwork.Of(address), out var e)) return null;
        return clock.GetUtcNow() - e.Last > Window ? null : e;
    }

    private bool SweepDue(DateTimeOffset now)
    {
        if (now - _lastSweep < SweepInterval) return false;
        _lastSweep = now;
        return true;
    }
}
