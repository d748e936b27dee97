using System.Globalization;
using Estafeta.Pop3;
using Estafeta.Storage;

namespace Estafeta.Mail.Pop3;

/// <summary>A locked INBOX. Unique ids are "UIDVALIDITY.UID", stable for the life of the mailbox and
/// the same numbers IMAP shows.</summary>
public sealed class StoreMaildrop : IMaildrop
{
    private readonly long _accountId;
    private readonly MailStore _mail;
    private readonly MaildropLocks _locks;
    private readonly Dictionary<long, MessageSummary> _byId;
    private int _released;

    public StoreMaildrop(long accountId, Mailbox inbox, IReadOnlyList<MessageSummary> messages, MailStore mail, MaildropLocks locks)
    {
        _accountId = accountId;
        _mail = mail;
        _locks = locks;
        _byId = messages.ToDictionary(m => m.Id);
        Messages = messages
            .Select(m => new MaildropMessage(m.Id, string.Create(CultureInfo.InvariantCulture, $"{inbox.UidValidity}.{m.Uid}"), m.Size))
            .ToList();
    }

    public IReadOnlyList<MaildropMessage> Messages { get; }

    public ValueTask<Stream> OpenAsync(MaildropMessage message, CancellationToken ct) =>
        ValueTask.FromResult(_mail.OpenContent(_byId[message.Id]));

    public async ValueTask CommitDeletionsAsync(IReadOnlyList<MaildropMessage> deleted, CancellationToken ct)
    {
        if (deleted.Count == 0) return;
        await _mail.ExpungeAsync(deleted.Select(m => m.Id).ToList(), ct);
    }

    public ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _released, 1) == 0) _locks.Release(_accountId);
        return ValueTask.CompletedTask;
    }
}
