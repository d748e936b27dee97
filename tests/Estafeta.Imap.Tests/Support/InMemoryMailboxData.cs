using Estafeta.Imap.Store;

namespace Estafeta.Imap.Tests.Support;

/// <summary>A stored message of the in-memory store.</summary>
public sealed record StoredMessage(long Uid, long ModSeq, MessageFlags Flags, IReadOnlyList<string> Keywords, DateTimeOffset InternalDate, byte[] Content, string ContentId)
{
    public ImapMessage ToImap() => new(Uid, ModSeq, Flags, Keywords, InternalDate, Content.Length, ContentId);
}

/// <summary>
/// One mailbox of the in-memory store: messages by UID, the expunge records (UID and modseq) that QRESYNC and the
/// change feed need, and the waiters of <see cref="IImapMailbox.WaitForChangeAsync"/>. Every change takes the next
/// modseq and wakes the waiters. All access goes through the account's lock.
/// </summary>
public sealed class InMemoryMailboxData(string name, string? specialUse, long uidValidity)
{
    private readonly List<TaskCompletionSource> _waiters = [];

    public string Name { get; set; } = name;
    public string? SpecialUse { get; } = specialUse;
    public bool Subscribed { get; set; } = true;
    public long UidValidity { get; } = uidValidity;
    public long UidNext { get; set; } = 1;
    public long HighestModSeq { get; set; } = 1;

    /// <summary>The highest UID handed to a session as \Recent.</summary>
    public long RecentUid { get; set; }
    public SortedDictionary<long, StoredMessage> Messages { get; } = [];
    public List<(long Uid, long ModSeq)> Expunged { get; } = [];

    /// <summary>Takes the next modseq for a change; the caller holds the account lock.</summary>
    public long NextModSeq() => ++HighestModSeq;

    /// <summary>Wakes every waiter; called after a change, outside of nothing in particular (continuations run asynchronously).</summary>
    public void Notify()
    {
        List<TaskCompletionSource> waiters;
        lock (_waiters)
        {
            waiters = [.. _waiters];
            _waiters.Clear();
        }
        foreach (var waiter in waiters) waiter.TrySetResult();
    }

    public Task WaitAsync(Func<bool> changed, CancellationToken ct)
    {
        var waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters) _waiters.Add(waiter);
        if (changed()) waiter.TrySetResult();
        var registration = ct.Register(() => waiter.TrySetCanceled(ct));
        return waiter.Task.ContinueWith(t =>
        {
            registration.Dispose();
            lock (_waiters) _waiters.Remove(waiter);
            return t;
        }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default).Unwrap();
    }
}
