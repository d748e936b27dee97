using Estafeta.Imap.Store;
using Estafeta.Storage;

namespace Estafeta.Mail.Imap;

/// <summary>IMAP over the mail store: logins are accounts, and each session sees only its own account's mailboxes.</summary>
public sealed class ImapBackend(Database db, AccountStore accounts, MailStore mail, DeliveryWriter writer, BlobStore blobs, TimeProvider clock)
    : IImapBackend
{
    public async ValueTask<ImapPrincipal?> AuthenticateAsync(string login, string password, CancellationToken ct)
    {
        var account = await accounts.VerifyPasswordAsync(login, password, ct);
        return account is null ? null : new ImapPrincipal(account.Id, account.Address);
    }

    public ValueTask<IImapStore> OpenStoreAsync(ImapPrincipal principal, CancellationToken ct) =>
        ValueTask.FromResult<IImapStore>(new ImapStore(principal.AccountId, db.Changes, accounts, mail, writer, blobs, clock));
}
