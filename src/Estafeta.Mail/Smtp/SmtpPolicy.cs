using Estafeta.Smtp;
using Estafeta.Storage;

namespace Estafeta.Mail.Smtp;

/// <summary>
/// Who may send what: the MX accepts mail only for local domains, accounts and aliases (no open
/// relay); submission requires a login that owns the sender address and accepts any recipient.
/// </summary>
public sealed class SmtpPolicy(SmtpMode mode, AccountStore accounts, RecipientDirectory directory) : ISmtpPolicy
{
    public async ValueTask<SmtpPrincipal?> AuthenticateAsync(string login, string password, SmtpSessionInfo session, CancellationToken ct)
    {
        var account = await accounts.VerifyPasswordAsync(login, password, ct);
        return account is null ? null : new SmtpPrincipal(account.Id, account.Address);
    }

    public async ValueTask<SmtpReply> CheckSenderAsync(SmtpSessionInfo session, ReversePath from, CancellationToken ct)
    {
        if (mode == SmtpMode.Mx) return SmtpReplies.SenderOk;
        if (session.Principal is not { } principal) return new SmtpReply(530, "5.7.0", "Authentication required");
        if (from.Address.Length == 0 || !await directory.AccountOwnsAddressAsync(principal.AccountId, from.Address, ct))
            return new SmtpReply(553, "5.7.1", $"Sender address <{from.Address}> is not owned by {principal.Login}");
        return SmtpReplies.SenderOk;
    }

    public async ValueTask<SmtpReply> CheckRecipientAsync(SmtpSessionInfo session, ReversePath from, ForwardPath to, CancellationToken ct)
    {
        var resolution = await directory.ResolveAsync(to.Address, ct);
        switch (resolution.Kind)
        {
            case RecipientResolutionKind.NotLocalDomain when mode == SmtpMode.Submission:
                return SmtpReplies.RecipientOk;
            case RecipientResolutionKind.NotLocalDomain:
                return new SmtpReply(550, "5.7.1", $"Relaying denied: <{to.Address}> is not in a domain of this server");
            case RecipientResolutionKind.UnknownUser:
                return new SmtpReply(550, "5.1.1", $"<{to.Address}>: no such user here");
            case RecipientResolutionKind.AliasLoop:
                return new SmtpReply(550, "5.4.6", $"<{to.Address}>: alias loop ({resolution.Problem})");
            default:
                foreach (var accountId in resolution.AccountIds)
                {
                    var account = await accounts.GetByIdAsync(accountId, ct);
                    if (account is { QuotaBytes: > 0 } && account.UsedBytes >= account.QuotaBytes)
                        return new SmtpReply(452, "4.2.2", $"<{to.Address}>: mailbox full, try again later");
                }
                return SmtpReplies.RecipientOk;
        }
    }
}
