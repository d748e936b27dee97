using Estafeta.Imap.Store;

namespace Estafeta.Imap.Tests.Support;

/// <summary>The <see cref="IImapMailbox"/> contract over one <see cref="InMemoryMailboxData"/>.</summary>
public sealed class InMemoryMailbox(InMemoryAccount account, InMemoryMailboxData data) : IImapMailbox
{
    public static int OpenCount;

    private readonly int _opened = Interlocked.Increment(ref OpenCount);

    public string Name => data.Name;
    public long UidValidity => data.UidValidity;
    public long HighestModSeq
    {
        get { lock (account.Lock) return data.HighestModSeq; }
    }

    public ValueTask<MailboxSnapshot> GetSnapshotAsync(CancellationToken ct)
    {
        lock (account.Lock)
        {
            var messages = data.Messages.Values.ToList();
            return new(new MailboxSnapshot([.. messages.Select(m => m.Uid)], data.UidNext, data.HighestModSeq,
                [.. messages.SelectMany(m => m.Keywords).Distinct(StringComparer.OrdinalIgnoreCase)],
                messages.FirstOrDefault(m => !m.Flags.HasFlag(MessageFlags.Seen))?.Uid));
        }
    }

    public ValueTask<IReadOnlyList<ImapMessage>> GetMessagesAsync(UidSet uids, CancellationToken ct)
    {
        lock (account.Lock)
            return new([.. data.Messages.Values.Where(m => uids.Contains(m.Uid)).Select(m => m.ToImap())]);
    }

    public ValueTask<Stream?> OpenContentAsync(long uid, CancellationToken ct)
    {
        lock (account.Lock)
            return new(data.Messages.TryGetValue(uid, out var m) ? new MemoryStream(m.Content, writable: false) : (Stream?)null);
    }

    public ValueTask<MailboxChanges> GetChangesAsync(long sinceModSeq, CancellationToken ct)
    {
        lock (account.Lock)
        {
            return new(new MailboxChanges(
                [.. data.Messages.Values.Where(m => m.ModSeq > sinceModSeq).Select(m => m.ToImap())],
                [.. data.Expunged.Where(e => e.ModSeq > sinceModSeq).Select(e => e.Uid).Order()],
                data.HighestModSeq, data.UidNext));
        }
    }

    public ValueTask<long> ClaimRecentAsync(long upToUid, bool claim, CancellationToken ct)
    {
        lock (account.Lock)
        {
            var previous = data.RecentUid;
            if (claim && upToUid > previous) data.RecentUid = upToUid;
            return new(previous);
        }
    }

    public ValueTask<IReadOnlyList<long>> GetUidsAsync(CancellationToken ct)
    {
        lock (account.Lock) return new([.. data.Messages.Keys]);
    }

    public Task WaitForChangeAsync(long knownModSeq, CancellationToken ct) =>
        data.WaitAsync(() => HighestModSeq > knownModSeq, ct);

    public ValueTask<StoreFlagsResult> StoreFlagsAsync(UidSet uids, FlagOperation operation, MessageFlags flags, IReadOnlyList<string> keywords, long? unchangedSince, CancellationToken ct)
    {
        var result = new List<ImapMessage>();
        var failed = new List<long>();
        var changed = false;
        lock (account.Lock)
        {
            long? modSeq = null;
            foreach (var m in data.Messages.Values.Where(m => uids.Contains(m.Uid)).ToList())
            {
                if (unchangedSince is { } limit && m.ModSeq > limit)
                {
                    failed.Add(m.Uid);
                    continue;
                }
                var (newFlags, newKeywords) = operation switch
                {
                    FlagOperation.Replace => (flags, keywords.Distinct(StringComparer.OrdinalIgnoreCase).ToList()),
                    FlagOperation.Add => (m.Flags | flags, m.Keywords.Union(keywords, StringComparer.OrdinalIgnoreCase).ToList()),
                    _ => (m.Flags & ~flags, m.Keywords.Where(k => !keywords.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList()),
                };
                var updated = m;
                if (newFlags != m.Flags || !newKeywords.SequenceEqual(m.Keywords))
                {
                    modSeq ??= data.NextModSeq();
                    updated = m with { Flags = newFlags, Keywords = newKeywords, ModSeq = modSeq.Value };
                    data.Messages[m.Uid] = updated;
                    changed = true;
                }
                result.Add(updated.ToImap());
            }
        }
        if (changed) data.Notify();
        return new(new StoreFlagsResult(result, failed));
    }

    public ValueTask<ExpungeResult> ExpungeAsync(UidSet? uids, CancellationToken ct)
    {
        ExpungeResult result;
        lock (account.Lock)
        {
            var gone = data.Messages.Values.Where(m => m.Flags.HasFlag(MessageFlags.Deleted) && (uids is null || uids.Contains(m.Uid))).Select(m => m.Uid).ToList();
            result = new ExpungeResult(gone, gone.Count == 0 ? 0 : RemoveLocked(gone));
        }
        if (result.Expunged.Count > 0) data.Notify();
        return new(result);
    }

    public ValueTask<CopyResult> CopyAsync(UidSet uids, string target, bool move, CancellationToken ct)
    {
        CopyResult result;
        InMemoryMailboxData? destination;
        lock (account.Lock)
        {
            if (!account.Mailboxes.TryGetValue(target, out destination)) return new(new CopyResult(StoreOutcome.NoSuchMailbox, 0, [], []));
            var sources = data.Messages.Values.Where(m => uids.Contains(m.Uid)).ToList();
            if (!move && account.QuotaLimit is { } limit && account.UsedBytes + sources.Sum(m => (long)m.Content.Length) > limit)
                return new(new CopyResult(StoreOutcome.OverQuota, 0, [], []));
            var targets = sources.Select(m => account.AddLocked(destination, m.Content, m.Flags, m.Keywords, m.InternalDate)).ToList();
            ExpungeResult? expunged = null;
            if (move && sources.Count > 0) expunged = new ExpungeResult([.. sources.Select(m => m.Uid)], RemoveLocked([.. sources.Select(m => m.Uid)]));
            result = new CopyResult(StoreOutcome.Ok, destination.UidValidity, [.. sources.Select(m => m.Uid)], targets, expunged);
        }
        destination.Notify();
        if (move) data.Notify();
        return new(result);
    }

    private long RemoveLocked(List<long> uids)
    {
        var modSeq = data.NextModSeq();
        foreach (var uid in uids)
        {
            data.Messages.Remove(uid);
            data.Expunged.Add((uid, modSeq));
        }
        return modSeq;
    }

    public ValueTask DisposeAsync()
    {
        Interlocked.Decrement(ref OpenCount);
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"{Name} #{_opened}";
}
