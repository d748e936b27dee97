using Estafeta.Pop3;
using Estafeta.Storage;

namespace Estafeta.Mail.Pop3;

/// <summary>POP3 over the mail store: the maildrop is the account's INBOX.</summary>
public sealed class Pop3Backend(AccountStore accounts, MailStore mail) : IPop3Backend
{
    private readonly MaildropLocks _locks = new();

    public async ValueTask<Pop3Principal?> AuthenticateAsync(string login, string password, CancellationToken ct)
    {
        var account = await accounts.VerifyPasswordAsync(login, password, ct);
        return account is null ? null : new Pop3Principal(account.Id, account.Address);
    }

    public async ValueTask<IMaildrop?> OpenMaildropAsync(Pop3Principal principal, CancellationToken ct)
    {
        if (!_locks.TryTake(principal.AccountId)) return null;
        try
        {
            var inbox = await mail.GetMailboxAsync(principal.AccountId, MailboxName.Inbox, ct)
                ?? throw new NotFoundException($"The account {principal.Login} has no INBOX.");
            var messages = await mail.ListMessagesAsync(inbox.Id, ct: ct);
            return new StoreMaildrop(principal.AccountId, inbox, messages, mail, _locks);
        }
        catch
        {
            _locks.Release(principal.AccountId);
            throw;
        }
    }
}
