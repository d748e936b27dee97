using System.Security.Cryptography;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Tests.Support;

/// <summary>An account of the in-memory store: its mailboxes, quota, and one lock for all of it.</summary>
public sealed class InMemoryAccount(long id, string login, string password, long? quotaLimit)
{
    private long _nextUidValidity = 1000 + id * 100;

    public long Id { get; } = id;
    public string Login { get; } = login;
    public string Password { get; } = password;
    public long? QuotaLimit { get; set; } = quotaLimit;
    public Lock Lock { get; } = new();
    public Dictionary<string, InMemoryMailboxData> Mailboxes { get; } = new(StringComparer.Ordinal);

    public long UsedBytes
    {
        get
        {
            lock (Lock) return Mailboxes.Values.Sum(m => m.Messages.Values.Sum(x => (long)x.Content.Length));
        }
    }

    /// <summary>Creates a mailbox; the caller holds the lock.</summary>
    public InMemoryMailboxData CreateLocked(string name, string? specialUse = null)
    {
        var mailbox = new InMemoryMailboxData(name, specialUse, ++_nextUidValidity);
        Mailboxes[name] = mailbox;
        return mailbox;
    }

    /// <summary>Delivers a message as the mail engine would (any thread), waking sessions that watch the mailbox.</summary>
    public long Deliver(string mailboxName, byte[] content, MessageFlags flags = MessageFlags.None, DateTimeOffset? internalDate = null, IReadOnlyList<string>? keywords = null)
    {
        InMemoryMailboxData mailbox;
        long uid;
        lock (Lock)
        {
            mailbox = Mailboxes[mailboxName];
            uid = AddLocked(mailbox, content, flags, keywords ?? [], internalDate ?? DateTimeOffset.UtcNow);
        }
        mailbox.Notify();
        return uid;
    }

    public long Deliver(string mailboxName, string content, MessageFlags flags = MessageFlags.None, DateTimeOffset? internalDate = null) =>
        Deliver(mailboxName, System.Text.Encoding.UTF8.GetBytes(content), flags, internalDate);

    /// <summary>Adds a message with the next UID and modseq; the caller holds the lock and notifies.</summary>
    public long AddLocked(InMemoryMailboxData mailbox, byte[] content, MessageFlags flags, IReadOnlyList<string> keywords, DateTimeOffset internalDate)
    {
        var uid = mailbox.UidNext++;
        var id = Convert.ToHexString(SHA256.HashData(content));
        mailbox.Messages[uid] = new StoredMessage(uid, mailbox.NextModSeq(), flags, [.. keywords], internalDate, content, id);
        return uid;
    }
}
