namespace Estafeta.Storage;

/// <summary>
/// In-process notifications of committed mailbox changes: every writer of this process publishes the mailbox's
/// highest modseq after its transaction commits, and IMAP sessions wait on it (IDLE) and read it after every
/// command without touching the database. Owned by <see cref="Database"/>, so every store built on one database
/// shares it.
/// </summary>
/// <remarks>
/// Only watched mailboxes are remembered (see <see cref="Watch"/>), so memory follows the mailboxes open right now,
/// not every mailbox that ever received mail. Take the watch before reading the mailbox's modseq from the
/// database, then <see cref="Publish"/> what was read: a change committed in between is then either in what was
/// read or published to the watch, never lost. Deleting a mailbox retires its entry, so a later mailbox that gets
/// the same id (SQLite reuses the largest rowid) starts afresh while the deleted one's watchers keep theirs.
/// Changes committed by another process on the same database are not published here; they become visible the
/// next time this process reads the mailbox's modseq.
/// </remarks>
public sealed class MailboxChangeFeed
{
    private readonly Lock gate = new();
    private readonly Dictionary<long, Entry> entries = [];

    /// <summary>Keeps <paramref name="mailboxId"/>'s highest modseq in memory until the watch is disposed.</summary>
    public MailboxWatch Watch(long mailboxId)
    {
        lock (gate)
        {
            if (!entries.TryGetValue(mailboxId, out var entry))
            {
                entry = new Entry(mailboxId);
                entries[mailboxId] = entry;
            }

            entry.Watchers++;
            return new MailboxWatch(this, entry);
        }
    }

    /// <summary>The highest modseq published for a watched mailbox; 0 when nothing was published or nobody watches it.</summary>
    public long Current(long mailboxId)
    {
        lock (gate)
        {
            return entries.TryGetValue(mailboxId, out var entry) ? entry.ModSeq : 0;
        }
    }

    /// <summary>
    /// Records that <paramref name="mailboxId"/> has reached <paramref name="highestModSeq"/> and wakes its waiters.
    /// A value not above the known one is ignored (publishers may finish out of commit order); so is a mailbox
    /// nobody watches.
    /// </summary>
    public void Publish(long mailboxId, long highestModSeq)
    {
        Entry? entry;
        lock (gate)
        {
            entries.TryGetValue(mailboxId, out entry);
        }

        entry?.Raise(gate, highestModSeq);
    }

    /// <summary>
    /// Completes when the mailbox's highest modseq is above <paramref name="knownModSeq"/> (at once when it already
    /// is), or throws <see cref="OperationCanceledException"/> when <paramref name="ct"/> fires. The caller should
    /// hold a <see cref="Watch"/> on the mailbox, so changes published before the wait began are not missed.
    /// </summary>
    public async Task WaitForChangeAsync(long mailboxId, long knownModSeq, CancellationToken ct)
    {
        using var watch = Watch(mailboxId);
        await watch.WaitForChangeAsync(knownModSeq, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Detaches the mailbox's entry, inside the transaction that deletes the mailbox (while it holds the mailbox
    /// lock, so no mailbox can take the id before). Its watchers keep it; new watches of the id start afresh.
    /// </summary>
    internal Retirement Retire(long mailboxId)
    {
        lock (gate)
        {
            return entries.Remove(mailboxId, out var entry) ? new Retirement(this, entry) : new Retirement(this, null);
        }
    }

    private void Release(Entry entry)
    {
        lock (gate)
        {
            if (--entry.Watchers == 0 && entries.TryGetValue(entry.MailboxId, out var current) && ReferenceEquals(current, entry))
            {
                entries.Remove(entry.MailboxId);
            }
        }
    }

    /// <summary>A deleted mailbox's entry: published to after the delete commits, put back when it did not.</summary>
    internal readonly struct Retirement(MailboxChangeFeed feed, Entry? entry)
    {
        public void Complete(long finalModSeq) => entry?.Raise(feed.gate, finalModSeq);

        public void Undo()
        {
            if (entry is null)
            {
                return;
            }

            lock (feed.gate)
            {
                if (entry.Watchers > 0)
                {
                    feed.entries.TryAdd(entry.MailboxId, entry);
                }
            }
        }
    }

    internal sealed class Entry(long mailboxId)
    {
        public long MailboxId { get; } = mailboxId;
        public long ModSeq;
        public int Watchers;
        public TaskCompletionSource? Changed;

        public void Raise(Lock gate, long modSeq)
        {
            TaskCompletionSource? wake;
            lock (gate)
            {
                if (modSeq <= ModSeq)
                {
                    return;
                }

                ModSeq = modSeq;
                wake = Changed;
                Changed = null;
            }

            wake?.TrySetResult();
        }
    }

    /// <summary>A watch on one mailbox's changes; dispose it when the mailbox is closed.</summary>
    public sealed class MailboxWatch : IDisposable
    {
        private readonly MailboxChangeFeed feed;
        private readonly Entry entry;
        private int disposed;

        internal MailboxWatch(MailboxChangeFeed feed, Entry entry)
        {
            this.feed = feed;
            this.entry = entry;
        }

        public long MailboxId => entry.MailboxId;

        /// <summary>The highest modseq published for the mailbox (this watch's entry stays valid after a delete).</summary>
        public long Current
        {
            get
            {
                lock (feed.gate)
                {
                    return entry.ModSeq;
                }
            }
        }

        /// <summary>Raises the known modseq to a value read from the database (a change of another process).</summary>
        public void Observe(long highestModSeq) => entry.Raise(feed.gate, highestModSeq);

        /// <summary>Completes when the modseq is above <paramref name="knownModSeq"/>; throws when <paramref name="ct"/> fires.</summary>
        public async Task WaitForChangeAsync(long knownModSeq, CancellationToken ct)
        {
            while (true)
            {
                Task changed;
                lock (feed.gate)
                {
                    if (entry.ModSeq > knownModSeq)
                    {
                        return;
                    }

                    entry.Changed ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                    changed = entry.Changed.Task;
                }

                await changed.WaitAsync(ct).ConfigureAwait(false);
            }
        }

        public void Dispose()
        {
            if (Interlocked.Exchange(ref disposed, 1) == 0)
            {
                feed.Release(entry);
            }
        }
    }
}
