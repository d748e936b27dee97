namespace Estafeta.Pop3.Tests.Support;

/// <summary>A clock that moves only when a test advances it, so that timeouts and login delays are
/// tested without waiting. Tests can wait until the server has started a timer of a given length.</summary>
public sealed class ManualClock : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly List<(TimeSpan Delay, TaskCompletionSource Started)> _waiters = [];
    private DateTimeOffset _now = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);

    public override DateTimeOffset GetUtcNow() { lock (_gate) return _now; }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new ManualTimer(this, callback, state);
        timer.Change(dueTime, period);
        return timer;
    }

    /// <summary>Moves time forward and fires, on the thread pool, every timer that came due.</summary>
    public void Advance(TimeSpan by)
    {
        List<ManualTimer> due;
        lock (_gate)
        {
            _now += by;
            due = _timers.Where(t => t.DueAt <= _now).ToList();
            foreach (var timer in due) _timers.Remove(timer);
        }
        foreach (var timer in due) ThreadPool.QueueUserWorkItem(_ => timer.Fire());
    }

    /// <summary>Completes once a timer started with exactly this delay is running.</summary>
    public Task WaitForTimerAsync(TimeSpan delay)
    {
        lock (_gate)
        {
            if (_timers.Any(t => t.Delay == delay)) return Task.CompletedTask;
            var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((delay, started));
            return started.Task;
        }
    }

    private void Schedule(ManualTimer timer, TimeSpan delay)
    {
        List<TaskCompletionSource> started;
        lock (_gate)
        {
            _timers.Remove(timer);
            if (delay == Timeout.InfiniteTimeSpan) return;
            timer.Delay = delay;
            timer.DueAt = _now + delay;
            _timers.Add(timer);
            started = _waiters.Where(w => w.Delay == delay).Select(w => w.Started).ToList();
            _waiters.RemoveAll(w => w.Delay == delay);
        }
        foreach (var s in started) s.TrySetResult();
    }

    private void Cancel(ManualTimer timer) { lock (_gate) _timers.Remove(timer); }

    private sealed class ManualTimer(ManualClock clock, TimerCallback callback, object? state) : ITimer
    {
        public TimeSpan Delay { get; set; }
        public DateTimeOffset DueAt { get; set; }

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            clock.Schedule(this, dueTime);
            return true;
        }

        public void Fire() => callback(state);

        public void Dispose() => clock.Cancel(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
