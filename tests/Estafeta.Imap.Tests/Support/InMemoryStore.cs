using Estafeta.Imap.Store;

namespace Estafeta.Imap.Tests.Support;

/// <summary>The <see cref="IImapStore"/> contract over <see cref="InMemoryAccount"/>: what the SQL store does, in memory.</summary>
public sealed class InMemoryStore(InMemoryAccount account, Action disposed) : IImapStore
{
    public ValueTask<IReadOnlyList<MailboxEntry>> ListMailboxesAsync(CancellationToken ct)
    {
        lock (account.Lock)
            return new([.. account.Mailboxes.Values.Select(m => new MailboxEntry(m.Name, m.SpecialUse, m.Subscribed))]);
    }

    public ValueTask<StoreOutcome> CreateMailboxAsync(string name, string? specialUse, CancellationToken ct)
    {
        lock (account.Lock)
        {
            if (account.Mailboxes.ContainsKey(name)) return new(StoreOutcome.AlreadyExists);
            for (var slash = name.IndexOf('/'); slash > 0; slash = name.IndexOf('/', slash + 1))
                if (!account.Mailboxes.ContainsKey(name[..slash])) account.CreateLocked(name[..slash]);
            account.CreateLocked(name, specialUse);
            return new(StoreOutcome.Ok);
        }
    }

    public ValueTask<StoreOutcome> DeleteMailboxAsync(string name, CancellationToken ct)
    {
        lock (account.Lock)
            return new(account.Mailboxes.Remove(name) ? StoreOutcome.Ok : StoreOutcome.NoSuchMailbox);
    }

    public ValueTask<StoreOutcome> RenameMailboxAsync(string from, string to, CancellationToken ct)
    {
        lock (account.Lock)
        {
            if (!account.Mailboxes.ContainsKey(from)) return new(StoreOutcome.NoSuchMailbox);
            if (account.Mailboxes.ContainsKey(to)) return new(StoreOutcome.AlreadyExists);
            var moving = account.Mailboxes.Keys.Where(n => n == from || n.StartsWith(from + "/", StringComparison.Ordinal)).ToList();
            foreach (var old in moving)
            {
                var mailbox = account.Mailboxes[old];
                account.Mailboxes.Remove(old);
                mailbox.Name = to + old[from.Length..];
                account.Mailboxes[mailbox.Name] = mailbox;
            }
            for (var slash = to.IndexOf('/'); slash > 0; slash = to.IndexOf('/', slash + 1))
                if (!account.Mailboxes.ContainsKey(to[..slash])) account.CreateLocked(to[..slash]);
            return new(StoreOutcome.Ok);
        }
    }

    public ValueTask<StoreOutcome> SetSubscribedAsync(string name, bool subscribed, CancellationToken ct)
    {
        lock (account.Lock)
        {
            if (!account.Mailboxes.TryGetValue(name, out var mailbox)) return new(StoreOutcome.NoSuchMailbox);
            mailbox.Subscribed = subscribed;
            return new(StoreOutcome.Ok);
        }
    }

    public ValueTask<MailboxStatus?> GetStatusAsync(string name, CancellationToken ct)
    {
        lock (account.Lock)
        {
            if (!account.Mailboxes.TryGetValue(name, out var m)) return new((MailboxStatus?)null);
            var messages = m.Messages.Values;
            return new(new MailboxStatus(messages.Count, messages.Count(x => !x.Flags.HasFlag(MessageFlags.Seen)),
                messages.Count(x => x.Flags.HasFlag(MessageFlags.Deleted)), m.UidNext, m.UidValidity, m.HighestModSeq,
                messages.Sum(x => (long)x.Content.Length), messages.Count(x => x.Uid > m.RecentUid)));
        }
    }

    public ValueTask<IImapMailbox?> OpenMailboxAsync(string name, CancellationToken ct)
    {
        lock (account.Lock)
            return new(account.Mailboxes.TryGetValue(name, out var m) ? new InMemoryMailbox(account, m) : (IImapMailbox?)null);
    }

    public async ValueTask<AppendResult> AppendAsync(string name, Stream content, long length, MessageFlags flags, IReadOnlyList<string> keywords, DateTimeOffset? internalDate, CancellationToken ct)
    {
        var bytes = new byte[length];
        await content.ReadExactlyAsync(bytes, ct);
        InMemoryMailboxData mailbox;
        long uid;
        lock (account.Lock)
        {
            if (!account.Mailboxes.TryGetValue(name, out mailbox!)) return new AppendResult(StoreOutcome.NoSuchMailbox);
            if (account.QuotaLimit is { } limit && account.UsedBytes + length > limit) return new AppendResult(StoreOutcome.OverQuota);
            uid = account.AddLocked(mailbox, bytes, flags, keywords, internalDate ?? DateTimeOffset.UtcNow);
        }
        mailbox.Notify();
        return new AppendResult(StoreOutcome.Ok, mailbox.UidValidity, uid);
    }

    public ValueTask<QuotaUsage> GetQuotaAsync(CancellationToken ct) => new(new QuotaUsage(account.UsedBytes, account.QuotaLimit));

    public ValueTask DisposeAsync()
    {
        disposed();
        return ValueTask.CompletedTask;
    }
}
