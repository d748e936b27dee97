using System.Collections.Concurrent;
using Estafeta.Storage;

namespace Estafeta.Mail.Outbound;

/// <summary>
/// The jobs waiting for one destination and the workers (one connection each) that take them. Concurrency starts at
/// the destination's limit, halves when the destination defers us (421, refused connections) and grows back by one
/// per clean delivery; after such a deferral the destination rests (one minute, doubling up to 30) before the
/// next connection.
/// </summary>
internal sealed class Destination(string key, string? routeKey)
{
    private static readonly TimeSpan FirstRest = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan LongestRest = TimeSpan.FromMinutes(30);
    private readonly Lock _lock = new();
    private readonly Queue<DateTimeOffset> _sentInWindow = new();
    private int _active;
    private int _concurrency = -1;
    private TimeSpan _rest = TimeSpan.Zero;

    public string Key { get; } = key;

    /// <summary>Non-null when the destination is a route (several domains share it).</summary>
    public string? RouteKey { get; } = routeKey;

    public ConcurrentQueue<DeliveryJob> Jobs { get; } = new();

    /// <summary>When a job was last queued here (UTC ticks).</summary>
    private long _lastUsed;

    public void Used(DateTimeOffset now) => Interlocked.Exchange(ref _lastUsed, now.UtcTicks);

    /// <summary>Whether nothing has been queued here since <paramref name="before"/>, nothing is waiting or being sent, and
    /// no rest after a deferral is running: dropping it loses nothing a new one would not learn again.</summary>
    public bool IsIdle(DateTimeOffset before, DateTimeOffset now)
    {
        lock (_lock)
        {
            return _active == 0 && Jobs.IsEmpty && RestUntil <= now && Interlocked.Read(ref _lastUsed) < before.UtcTicks;
        }
    }
    public DestinationLimit? Limit { get; set; }
    public int MaxConnections { get; set; } = 10;
    public DateTimeOffset RestUntil { get; private set; }

    /// <summary>The resolved plan and when it stops being reused.</summary>
    public (DeliveryPlan Plan, DateTimeOffset Until)? Plan { get; set; }

    /// <summary>Reserves a worker slot when fewer than the current concurrency run.</summary>
    public bool TryStartWorker()
    {
        lock (_lock)
        {
            if (_concurrency < 0 || _concurrency > MaxConnections) _concurrency = MaxConnections;
            if (_active >= Math.Max(1, _concurrency)) return false;
            _active++;
            return true;
        }
    }

    public void WorkerStopped()
    {
        lock (_lock) _active--;
    }

    /// <summary>The destination deferred us: fewer connections, and a rest before the next one.</summary>
    public void Deferred(DateTimeOffset now)
    {
        lock (_lock)
        {
            _concurrency = Math.Max(1, Math.Max(1, _concurrency) / 2);
            _rest = _rest == TimeSpan.Zero ? FirstRest : TimeSpan.FromTicks(Math.Min(_rest.Ticks * 2, LongestRest.Ticks));
            RestUntil = now + _rest;
        }
    }

    public void Succeeded()
    {
        lock (_lock)
        {
            _rest = TimeSpan.Zero;
            if (_concurrency < MaxConnections) _concurrency++;
        }
    }

    /// <summary>Takes a slot of the per-minute rate; false (with when the next one frees) when the minute is full.</summary>
    public bool TryTakeRate(DateTimeOffset now, out DateTimeOffset nextFree)
    {
        nextFree = now;
        var perMinute = Limit?.MessagesPerMinute ?? 0;
        if (perMinute <= 0) return true;
        lock (_lock)
        {
            while (_sentInWindow.Count > 0 && _sentInWindow.Peek() <= now - TimeSpan.FromMinutes(1)) _sentInWindow.Dequeue();
            if (_sentInWindow.Count >= perMinute)
            {
                nextFree = _sentInWindow.Peek() + TimeSpan.FromMinutes(1);
                return false;
            }
            _sentInWindow.Enqueue(now);
            return true;
        }
    }
}
