using Estafeta.Imap.Store;
using Estafeta.Storage;
using FlagOperation = Estafeta.Imap.Store.FlagOperation;
using MessageFlags = Estafeta.Imap.Store.MessageFlags;

namespace Estafeta.Mail.Imap;

/// <summary>
/// A mailbox opened by one IMAP session. Each call is one statement (or one snapshot) of the mail store;
/// <see cref="HighestModSeq"/> and <see cref="WaitForChangeAsync"/> come from the database's change feed, so
/// reading them costs no I/O and IDLE wakes as soon as another session or a delivery commits.
/// </summary>
public sealed class ImapMailbox : IImapMailbox
{
    private readonly MailStore _mail;
    private readonly MailboxKey _key;
    private readonly MailboxChangeFeed.MailboxWatch _watch;

    // The messages of the last listing by UID: FETCH and SEARCH open the content of what they just listed,
    // so OpenContentAsync finds the message file here instead of asking the database once per message.
    private Dictionary<long, MessageSummary> _listed = [];

    public ImapMailbox(MailStore mail, MailboxKey key, string name, MailboxChangeFeed.MailboxWatch watch)
    {
        _mail = mail;
        _key = key;
        _watch = watch;
        Name = name;
    }

    public string Name { get; }
    public long UidValidity => _key.UidValidity;
    public long HighestModSeq => _watch.Current;

    public async ValueTask<MailboxSnapshot> GetSnapshotAsync(CancellationToken ct)
    {
        var overview = await _mail.GetOverviewAsync(_key, ct);
        return overview is null
            ? new MailboxSnapshot([], 1, HighestModSeq, [], null)
            : new MailboxSnapshot(overview.Uids, overview.UidNext, overview.HighestModSeq, overview.Keywords, overview.FirstUnseenUid);
    }

    public async ValueTask<IReadOnlyList<ImapMessage>> GetMessagesAsync(UidSet uids, CancellationToken ct)
    {
        if (uids.IsEmpty) return [];
        var messages = await _mail.ListMessagesAsync(_key, uids.ToRanges(), ct);
        _listed = messages.ToDictionary(m => m.Uid);
        return [.. messages.Select(m => m.ToImap())];
    }

    public async ValueTask<Stream?> OpenContentAsync(long uid, CancellationToken ct)
    {
        if (!_listed.TryGetValue(uid, out var message))
        {
            var found = await _mail.ListMessagesAsync(_key, [(uid, uid)], ct);
            if (found.Count == 0) return null;
            message = found[0];
        }
        try
        {
            return _mail.OpenContent(message);
        }
        catch (NotFoundException)
        {
            return null;
        }
    }

    public async ValueTask<MailboxChanges> GetChangesAsync(long sinceModSeq, CancellationToken ct)
    {
        var changes = await _mail.GetChangesSinceAsync(_key, sinceModSeq, ct);
        // A deleted mailbox: no message is left, which the engine learns from an empty UID list.
        if (changes is null) return new MailboxChanges([], null, Math.Max(sinceModSeq, HighestModSeq), 0);
        return new MailboxChanges([.. changes.Changed.Select(m => m.ToImap())], changes.Vanished, changes.HighestModSeq, changes.UidNext);
    }

    public async ValueTask<long> ClaimRecentAsync(long upToUid, bool claim, CancellationToken ct) =>
        await _mail.ClaimRecentAsync(_key, upToUid, claim, ct);

    public async ValueTask<IReadOnlyList<long>> GetUidsAsync(CancellationToken ct) => await _mail.ListUidsAsync(_key, ct);

    public Task WaitForChangeAsync(long knownModSeq, CancellationToken ct) => _watch.WaitForChangeAsync(knownModSeq, ct);

    public async ValueTask<StoreFlagsResult> StoreFlagsAsync(
        UidSet uids, FlagOperation operation, MessageFlags flags, IReadOnlyList<string> keywords, long? unchangedSince, CancellationToken ct)
    {
        if (uids.IsEmpty) return new StoreFlagsResult([], []);
        var update = await _mail.SetFlagsAsync(_key, uids.ToRanges(), operation.ToStored(), flags.ToStored(), keywords, unchangedSince, ct);
        return new StoreFlagsResult([.. update.Messages.Select(m => m.ToImap())], update.FailedUids);
    }

    public async ValueTask<ExpungeResult> ExpungeAsync(UidSet? uids, CancellationToken ct)
    {
        if (uids is { IsEmpty: true }) return new ExpungeResult([], 0);
        var expunge = await _mail.ExpungeDeletedAsync(_key, uids?.ToRanges(), ct);
        return new ExpungeResult(expunge.Uids, expunge.ModSeq);
    }

    public async ValueTask<CopyResult> CopyAsync(UidSet uids, string target, bool move, CancellationToken ct)
    {
        try
        {
            var copy = await _mail.CopyMessagesAsync(_key, uids.ToRanges(), target, move, ct);
            var expunged = move && copy.SourceUids.Count > 0 ? new ExpungeResult(copy.SourceUids, copy.SourceModSeq) : null;
            return new CopyResult(StoreOutcome.Ok, copy.TargetUidValidity, copy.SourceUids, copy.TargetUids, expunged);
        }
        catch (Exception e) when (e is NotFoundException or InvalidInputException)
        {
            return new CopyResult(StoreOutcome.NoSuchMailbox, 0, [], []);
        }
        catch (QuotaExceededException)
        {
            return new CopyResult(StoreOutcome.OverQuota, 0, [], []);
        }
    }

    public ValueTask DisposeAsync()
    {
        _watch.Dispose();
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"{Name} ({_key.Id})";
}
