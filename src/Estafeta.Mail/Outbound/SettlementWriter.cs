using System.Threading.Channels;
using Estafeta.Storage;

namespace Estafeta.Mail.Outbound;

/// <summary>
/// Group commit for the outcomes of the delivery workers. Each settled message hands its outcomes (and, when it is
/// done, its removal) to <see cref="SettleAsync"/>; one writer loop takes everything that has arrived meanwhile, up to
/// <see cref="MaxBatch"/> messages, and writes it in one transaction, then completes every caller. While one
/// transaction is being made durable the next batch gathers, so the number of fsyncs follows the disk, not the
/// number of messages. A caller returns only once its outcome is durable.
/// </summary>
internal sealed class SettlementWriter : IAsyncDisposable
{
    public const int MaxBatch = 500;

    private readonly OutboundQueueStore _queue;
    private readonly OutboundLog _log;
    private readonly Channel<(QueueSettlement Settlement, TaskCompletionSource Done)> _pending =
        Channel.CreateUnbounded<(QueueSettlement, TaskCompletionSource)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;
    private readonly Channel<List<QueueSettlement>> _removed = Channel.CreateUnbounded<List<QueueSettlement>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _deletions;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public SettlementWriter(OutboundQueueStore queue, OutboundLog log)
    {
        _queue = queue;
        _log = log;
        _loop = Task.Run(LoopAsync);
        _deletions = Task.Run(DeleteFilesAsync);
    }

    /// <summary>Transactions written and messages settled so far (for the metrics: their ratio is the batch size).</summary>
    public long Commits => Interlocked.Read(ref _commits);
    public long Settled => Interlocked.Read(ref _settled);
    private long _commits;
    private long _settled;

    /// <summary>Completes when the settlement is committed; throws what the commit threw.</summary>
    public Task SettleAsync(QueueSettlement settlement)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_pending.Writer.TryWrite((settlement, done))) done.SetException(new ObjectDisposedException(nameof(SettlementWriter)));
        return done.Task;
    }

    /// <summary>
    /// Runs another write of the runner (a claim) between this writer's transactions. On SQLite every write
    /// transaction takes the one write lock and a waiter polls for it with growing sleeps, so writers of one process
    /// that compete there lose hundreds of milliseconds; queued here they take turns without waiting on the lock.
    /// </summary>
    public async Task<T> ExclusiveAsync<T>(Func<Task<T>> write)
    {
        await _gate.WaitAsync().ConfigureAwait(false);
        try { return await write().ConfigureAwait(false); }
        finally { _gate.Release(); }
    }

    private async Task LoopAsync()
    {
        var batch = new List<(QueueSettlement Settlement, TaskCompletionSource Done)>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var item)) batch.Add(item);
            List<QueueSettlement> committed;
            try
            {
                // Not cancellable: what was delivered must be recorded, even while the runner stops.
                committed = [.. batch.Select(b => b.Settlement)];
                await ExclusiveAsync(async () => { await _queue.CommitSettlementsAsync(committed, CancellationToken.None).ConfigureAwait(false); return 0; }).ConfigureAwait(false);
                Interlocked.Increment(ref _commits);
                Interlocked.Add(ref _settled, batch.Count);
                foreach (var b in batch) b.Done.SetResult();
            }
            catch (Exception) when (batch.Count > 1)
            {
                // One bad settlement (an entry an operator deleted meanwhile, say) must not fail the others: each
                // is tried on its own and gets its own outcome.
                committed = [];
                foreach (var b in batch)
                {
                    try
                    {
                        await ExclusiveAsync(async () => { await _queue.CommitSettlementsAsync([b.Settlement], CancellationToken.None).ConfigureAwait(false); return 0; }).ConfigureAwait(false);
                        committed.Add(b.Settlement);
                        Interlocked.Increment(ref _commits);
                        Interlocked.Increment(ref _settled);
                        b.Done.SetResult();
                    }
                    catch (Exception single)
                    {
                        b.Done.SetException(single);
                    }
                }
            }
            catch (Exception e)
            {
                batch[0].Done.SetException(e);
                continue;
            }

            // The files go after the commit, beside the next batches (connections wait for commits, not for these).
            if (committed.Any(c => c.Remove)) _removed.Writer.TryWrite(committed);
        }
        _removed.Writer.TryComplete();
    }

    private async Task DeleteFilesAsync()
    {
        await foreach (var committed in _removed.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                foreach (var group in committed.Where(c => c.Remove).Chunk(32))
                    await ExclusiveAsync(async () => { await _queue.DeleteFilesAsync(group).ConfigureAwait(false); return 0; }).ConfigureAwait(false);
            }
            catch (Exception e) when (e is StorageException or IOException or UnauthorizedAccessException or System.Data.Common.DbException)
            {
                // The rows are gone; an undeleted file is an orphan for the blob collector.
                _log.FilesNotDeleted(e);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop.ConfigureAwait(false);
        await _deletions.ConfigureAwait(false);
    }
}
