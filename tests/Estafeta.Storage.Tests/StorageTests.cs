using System.Text;

namespace Estafeta.Storage.Tests;

/// <summary>
/// Base of every test class that needs a database. Each abstract test class is run twice, by a concrete
/// subclass per backend (<c>...OnSqlite</c>, <c>...OnPostgres</c>).
/// </summary>
public abstract class StorageTests(StorageBackend backend)
{
    protected StorageBackend Backend { get; } = backend;

    protected Database Db => Backend.Db;

    protected DomainStore Domains => new(Db);

    protected AccountStore Accounts => new(Db);

    protected AliasStore Aliases => new(Db);

    protected RecipientDirectory Directory => new(Db);

    protected MailStore Mail => new(Db);

    protected OutboundQueueStore Queue => new(Db);

    /// <summary>A new local domain with one account <c>local@domain</c>.</summary>
    protected async Task<Account> NewAccountAsync(string local = "user", string password = "correct horse", long quotaBytes = 0)
    {
        var domain = await Domains.AddAsync(Names.Domain());
        return await Accounts.AddAsync($"{local}@{domain.Name}", password, quotaBytes);
    }

    protected static byte[] MessageBytes(string subject, string body = "Hola.") =>
        Encoding.UTF8.GetBytes(
            $"From: Ana <ana@remote.test>\r\nTo: user@local.test\r\nSubject: {subject}\r\n" +
            $"Message-ID: <{Guid.NewGuid():N}@remote.test>\r\nDate: Wed, 26 Nov 2025 10:00:00 +0000\r\n\r\n{body}\r\n");

    protected Task<BlobRef> StoreAsync(string subject, string body = "Hola.") =>
        Db.Blobs.WriteAsync(MessageBytes(subject, body));

    protected static MessageEnvelope Envelope(string subject) =>
        MessageEnvelope.Empty with { Subject = subject, From = "Ana <ana@remote.test>", To = "user@local.test" };

    /// <summary>Stores new content and delivers it to the INBOX of each account, through a short-lived writer.</summary>
    protected async Task<DeliveryReceipt> DeliverAsync(string subject, params Account[] accounts)
    {
        var blob = await StoreAsync(subject);
        await using var writer = new DeliveryWriter(Db);
        return await writer.CommitAsync(new Delivery(
            blob,
            [.. accounts.Select(a => DeliveryTarget.Inbox(a.Id))],
            DateTimeOffset.UtcNow,
            Envelope(subject)));
    }

    protected async Task<Mailbox> InboxAsync(Account account) =>
        await Mail.GetMailboxAsync(account.Id, "INBOX") ?? throw new InvalidOperationException("no INBOX");
}
