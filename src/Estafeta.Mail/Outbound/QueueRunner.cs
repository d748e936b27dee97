using System.Collections.Concurrent;
using Estafeta.Mail.Feedback;
using Estafeta.Mail.Outbound.MtaSts;
using Estafeta.Storage;
using Microsoft.Extensions.Logging;

namespace Estafeta.Mail.Outbound;

/// <summary>
/// The outbound MTA. Each pass claims due queue entries (a lease, so no other node takes them), splits each message
/// by destination (recipient domain, or route), hands the pieces to the destinations' workers, and when every piece
/// of a message is done sends the notices due (DSN), removes the message when nothing is left, or schedules the next
/// attempt with exponential backoff. The remote answers are kept with the message until it is settled; then its
/// outcomes (and its removal, when every recipient is delivered) are group-committed with other messages' by a
/// <see cref="SettlementWriter"/>, and its file is deleted after that commit. At-least-once: a message is in flight
/// from its claim until its settlement is durable; a crash (kill -9) in that window delivers it again after the
/// restart (its lease is released at start); nothing else is repeated and nothing is lost.
/// </summary>
public sealed partial class QueueRunner : IAsyncDisposable
{
    private readonly MailEngine _engine;
    private readonly OutboundOptions _options;
    private readonly OutboundLog _log;
    private readonly OutboundQueueStore _queue;
    private readonly OutboundSettingsStore _settingsStore;
    private readonly MxResolver _mx;
    private readonly MtaStsResolver _sts;
    private readonly WarmupGate _warmup;
    private readonly TlsReporter _tlsReports;
    private readonly Notices _notices;
    private readonly SettlementWriter _settlements;
    private readonly ConcurrentDictionary<string, Destination> _destinations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<Task, bool> _passes = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly SemaphoreSlim _claimLock = new(1, 1);
    private SemaphoreSlim _connections = new(100, 100);
    private int _connectionLimit = 100;
    private int _inFlight;
    private Task? _loop;
    private (DeliverySettings Settings, RoutingTable Routes, LimitTable Limits, IReadOnlyList<WarmupSchedule> Warmups, DateTimeOffset Until)? _config;

    public QueueRunner(MailEngine engine, OutboundOptions options, ILoggerFactory logging)
    {
        _engine = engine;
        _options = options;
        _log = new OutboundLog(logging.CreateLogger<QueueRunner>());
        _queue = new OutboundQueueStore(engine.Database);
        _settingsStore = new OutboundSettingsStore(engine.Database);
        _mx = new MxResolver(engine.Dns);
        _sts = new MtaStsResolver(engine.Dns, engine.Clock, options);
        _warmup = new WarmupGate(new OutboundEventStore(engine.Database));
        _tlsReports = new TlsReporter(engine, new TlsReportStore(engine.Database), _log);
        _notices = new Notices(engine, _log);
        _settlements = new SettlementWriter(_queue, _log);
        Metrics.Settlements = () => (_settlements.Commits, _settlements.Settled);
        Verp = Verp.LoadOrCreate(engine.Database.DataDirectory);
    }

    public OutboundMetrics Metrics { get; } = new();
    public Verp Verp { get; }
    private DateTimeOffset Now => _engine.Clock.GetUtcNow();

    /// <summary>Starts the background loop: a pass every <see cref="OutboundOptions.PollInterval"/> or when woken.</summary>
    public async Task StartAsync(CancellationToken ct = default)
    {
        var released = await _queue.ReleaseLeasesAsync(_options.NodeName, ct);
        if (released > 0) _log.LeasesReleased(released, _options.NodeName);
        _loop = Task.Run(LoopAsync, CancellationToken.None);
    }

    /// <summary>Asks for a pass now (new mail was queued, an operator flushed the queue).</summary>
    public void Wake() => _wake.Release();

    /// <summary>One pass: claims what is due, delivers it and waits until every claimed message is settled.</summary>
    public Task RunOnceAsync(CancellationToken ct = default) => PassAsync(ct);

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                if (Volatile.Read(ref _inFlight) < _options.MaxMessagesInFlight)
                {
                    var pass = GuardedPassAsync();
                    _passes[pass] = true;
                    _ = pass.ContinueWith(t => _passes.TryRemove(t, out _), TaskScheduler.Default);
                }
                await _tlsReports.SendDueAsync(Now, _stop.Token);
                DropIdleDestinations(Now);
                await _wake.WaitAsync(_options.PollInterval, _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is StorageException or IOException or System.Data.Common.DbException)
            {
                _log.PassFailed(e);
                try { await Task.Delay(_options.PollInterval, _stop.Token); } catch (OperationCanceledException) { return; }
            }
        }
    }

    /// <summary>How long a destination nothing was queued for is kept (its connection limits, rests and plan).</summary>
    internal static readonly TimeSpan IdleDestinationLifetime = TimeSpan.FromHours(1);

    private DateTimeOffset _lastIdleSweep = DateTimeOffset.MinValue;

    /// <summary>Drops the destinations idle for <see cref="IdleDestinationLifetime"/> (looked at every ten minutes): a server
    /// mailing many domains would otherwise keep the state of every domain it ever delivered to. A job queued for one in
    /// the instant it is dropped is still delivered by it; the next job makes a new one.</summary>
    internal int DropIdleDestinations(DateTimeOffset now)
    {
        if (now - _lastIdleSweep < TimeSpan.FromMinutes(10)) return 0;
        _lastIdleSweep = now;
        var dropped = 0;
        foreach (var entry in _destinations)
        {
            if (entry.Value.IsIdle(now - IdleDestinationLifetime, now) && _destinations.TryRemove(entry)) dropped++;
        }

        return dropped;
    }

    /// <summary>How many destinations are kept now.</summary>
    internal int DestinationCount => _destinations.Count;

    private async Task GuardedPassAsync()
    {
        try { await PassAsync(_stop.Token); }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested) { }
        catch (Exception e) when (e is StorageException or IOException or System.Data.Common.DbException or InvalidOperationException)
        {
            _log.PassFailed(e);
        }
    }

    private async Task PassAsync(CancellationToken ct)
    {
        IReadOnlyList<QueuedMessage> claimed;
        int room;
        var config = await ConfigAsync(ct);
        await _claimLock.WaitAsync(ct);
        try
        {
            room = Math.Min(_options.ClaimBatch, _options.MaxMessagesInFlight - Volatile.Read(ref _inFlight));
            if (room <= 0) return;
            var limit = room;
            claimed = await _settlements.ExclusiveAsync(() => _queue.ClaimDueAsync(_options.NodeName, Now + _options.Lease, limit, ct));
            Interlocked.Add(ref _inFlight, claimed.Count);
        }
        finally
        {
            _claimLock.Release();
        }

        if (claimed.Count == 0) return;
        // A full batch: more is probably due, so the loop claims again at once while there is room in flight.
        if (claimed.Count == room) Wake();
        await Task.WhenAll(claimed.Select(async m =>
        {
            try { await SettleAsync(m, config, ct); }
            finally { Settled(); }
        }));
    }

    /// <summary>One message fewer in flight; once a whole batch fits again the loop is woken to claim more.</summary>
    private void Settled()
    {
        if (Interlocked.Decrement(ref _inFlight) == _options.MaxMessagesInFlight - _options.ClaimBatch) Wake();
    }

    /// <summary>Delivers one claimed message to all its destinations, then settles it.</summary>
    private async Task SettleAsync(QueuedMessage message, (DeliverySettings Settings, RoutingTable Routes, LimitTable Limits, IReadOnlyList<WarmupSchedule> Warmups, DateTimeOffset Until) config, CancellationToken ct)
    {
        try
        {
            var now = Now;
            var pending = message.Recipients.Where(r => r.State == OutboundState.Queued).ToList();
            if (pending.Count > 0 && now - message.CreatedAt >= config.Settings.Lifetime)
            {
                await ExpireAsync(message, pending, config.Settings, ct);
                pending = [];
            }

            var results = new List<JobResult>();
            if (pending.Count > 0)
            {
                if (await _warmup.HoldUntilAsync(message, pending.Count, config.Warmups, now, ct) is { } until)
                {
                    await _queue.RescheduleAsync(message.Id, until, "held back by the warm-up schedule of the sending domain", countAttempt: false, ct);
                    return;
                }

                var groups = pending.GroupBy(r => DestinationKey(config.Routes, DomainOf(r.Address)), StringComparer.Ordinal).ToList();
                var jobs = groups.Select(g => new DeliveryJob(message, [.. g], g.Key) { Alone = groups.Count == 1 }).ToList();
                try
                {
                    foreach (var job in jobs) Enqueue(job, config);
                    results.AddRange(await Task.WhenAll(jobs.Select(j => j.Done)));
                    _warmup.Release(message, pending.Count);

                    // Every recipient delivered and no notice due (the common case): the outcomes and the removal are
                    // one settlement, committed with other messages' in one transaction.
                    var delivered = jobs.SelectMany(j => j.Outcomes).Where(o => o.State == OutboundState.Delivered).Select(o => o.RecipientId).ToHashSet();
                    var done = results.All(r => r.Attempted && r.SuccessNoticeRecipients.Count == 0)
                        && message.Recipients.All(r => r.State == OutboundState.Delivered || delivered.Contains(r.Id));
                    var unwritten = jobs.Where(j => !j.Written).ToList();
                    var outcomes = unwritten.SelectMany(j => j.Outcomes).ToList();
                    if (outcomes.Count > 0 || done)
                    {
                        await _settlements.SettleAsync(new QueueSettlement(message.Id, message.BlobHash, outcomes,
                            done ? [] : [.. unwritten.SelectMany(j => j.Attempts)], [.. unwritten.SelectMany(j => j.Events)], Remove: done));
                    }
                    if (done)
                    {
                        _log.RemovedDelivered(message.Id);
                        return;
                    }
                }
                finally
                {
                    foreach (var job in jobs) job.MarkDurable();
                }
            }

            await FinishAsync(message, results, config.Settings, ct);
        }
        catch (Exception e) when (e is StorageException or IOException or System.Data.Common.DbException or FormatException)
        {
            _log.JobFailed(e, message.Id);
            await _queue.RescheduleAsync(message.Id, Now + config.Settings.RetryFirst, e.Message, countAttempt: false, CancellationToken.None);
        }
    }

    /// <summary>After the deliveries: notices for failures (and successes asked for), then remove the message or
    /// schedule its next attempt, with a delay notice once it has waited long enough.</summary>
    private async Task FinishAsync(QueuedMessage claimed, IReadOnlyList<JobResult> results, DeliverySettings settings, CancellationToken ct)
    {
        var message = await _queue.GetAsync(claimed.Id, ct);
        if (message is null) return;
        var failed = await _queue.PendingFailureNoticesAsync(message.Id, ct);
        if (failed.Count > 0)
        {
            await _notices.FailureAsync(message, [.. message.Recipients.Where(r => failed.Contains(r.Id))], ct);
            await _queue.MarkFailureNoticesSentAsync(message.Id, failed, ct);
        }
        var successes = results.SelectMany(r => r.SuccessNoticeRecipients).ToHashSet();
        if (successes.Count > 0) await _notices.SuccessAsync(message, [.. message.Recipients.Where(r => successes.Contains(r.Id))], ct);

        if (await _queue.CompleteIfDoneAsync(message.Id, ct))
        {
            _log.Removed(message.Id, message.Recipients.All(r => r.State == OutboundState.Delivered) ? "delivered" : "done");
            return;
        }

        var now = Now;
        if (results.Count > 0 && results.All(r => !r.Attempted))
        {
            var until = results.Max(r => r.NotBefore) ?? now + settings.RetryFirst;
            await _queue.RescheduleAsync(message.Id, until, null, countAttempt: false, ct);
            return;
        }

        if (!message.DelayNotified && now - message.CreatedAt >= settings.DelayNotice)
        {
            await _notices.DelayAsync(message, [.. message.Recipients.Where(r => r.State == OutboundState.Queued)], message.CreatedAt + settings.Lifetime, ct);
            await _queue.MarkDelayNotifiedAsync(message.Id, ct);
        }

        var next = now + RetrySchedule.Delay(message.Attempts + 1, settings.RetryFirst, settings.RetryMax);
        var notBefore = results.Max(r => r.NotBefore);
        if (notBefore > next) next = notBefore.Value;
        if (next > message.CreatedAt + settings.Lifetime) next = Max(message.CreatedAt + settings.Lifetime, now + TimeSpan.FromSeconds(1));
        var lastError = message.Recipients.Where(r => r.State == OutboundState.Queued).Select(r => r.LastError).FirstOrDefault(e => e is not null);
        await _queue.RescheduleAsync(message.Id, next, lastError, countAttempt: true, ct);
    }

    /// <summary>The lifetime is over: every recipient still queued fails with 4.4.7 and its last answer.</summary>
    private async Task ExpireAsync(QueuedMessage message, IReadOnlyList<QueuedRecipient> pending, DeliverySettings settings, CancellationToken ct)
    {
        var now = Now;
        var outcomes = new List<RecipientOutcome>();
        var events = new List<OutboundEvent>();
        foreach (var r in pending)
        {
            var text = $"message expired after {settings.Lifetime.TotalDays:0.##} days in the queue" + (r.LastError is { } e ? $"; last answer: {e}" : "");
            outcomes.Add(new RecipientOutcome(r.Id, OutboundState.Failed, "4.4.7", text, r.RemoteMta));
            var cls = BounceClassifier.Classify(r.Status, r.LastError);
            events.Add(new OutboundEvent(now, OutboundEventKind.Bounced, r.Address, message.EnvelopeSender, DomainOf(r.Address), "expiry",
                (cls == BounceClass.Hard ? BounceClass.Soft : cls).Name(), message.Id, message.CreatedAt, r.Id, null, "4.4.7", text));
            Metrics.Count(DomainOf(r.Address), OutboundEventKind.Bounced);
            _log.RecipientWithoutHost(message.Id, r.Address, "expired", text);
        }
        await _queue.RecordAsync(message.Id, outcomes, [new DeliveryAttempt(now, "expiry", "bounced", "message expired")], events, ct);
    }

    private async Task<(DeliverySettings Settings, RoutingTable Routes, LimitTable Limits, IReadOnlyList<WarmupSchedule> Warmups, DateTimeOffset Until)> ConfigAsync(CancellationToken ct)
    {
        var now = Now;
        if (_config is { } c && c.Until > now && c.Until - now <= TimeSpan.FromSeconds(5)) return c;
        var settings = DeliverySettings.From(await _settingsStore.ValuesAsync(ct));
        var fresh = (settings, new RoutingTable(await _settingsStore.RoutesAsync(ct)), new LimitTable(await _settingsStore.LimitsAsync(ct)),
            await _settingsStore.WarmupsAsync(ct), now + TimeSpan.FromSeconds(5));
        if (settings.MaxConnections != _connectionLimit)
        {
            _connectionLimit = settings.MaxConnections;
            _connections = new SemaphoreSlim(settings.MaxConnections, settings.MaxConnections);
        }
        _config = fresh;
        return fresh;
    }

    private static string DestinationKey(RoutingTable routes, string domain) =>
        routes.Find(domain) is { } route ? routes.KeyOf(route) : domain;

    internal static string DomainOf(string address) => address[(address.LastIndexOf('@') + 1)..].ToLowerInvariant();

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        if (_loop is not null) await _loop;
        try { await Task.WhenAll(_passes.Keys); }
        catch (OperationCanceledException) { }
        await _settlements.DisposeAsync();
        _sts.Dispose();
        _stop.Dispose();
    }
}
