using Estafeta.Smtp;

namespace Estafeta.Mail.Inbound;

/// <summary>The MX policy with one step in front: RCPT to a valid unsubscribe address is accepted whatever its domain
/// (the token is signed, so this opens no relay); everything else is the inner policy's.</summary>
public sealed class UnsubscribePolicy(ISmtpPolicy inner, MailEngine engine) : ISmtpPolicy
{
    public ValueTask<SmtpPrincipal?> AuthenticateAsync(string login, string password, SmtpSessionInfo session, CancellationToken ct) =>
        inner.AuthenticateAsync(login, password, session, ct);

    public ValueTask<SmtpReply> CheckSenderAsync(SmtpSessionInfo session, ReversePath from, CancellationToken ct) =>
        inner.CheckSenderAsync(session, from, ct);

    public ValueTask<SmtpReply> CheckRecipientAsync(SmtpSessionInfo session, ReversePath from, ForwardPath to, CancellationToken ct) =>
        engine.Unsubscribe?.Recognises(to.Address) == true ? ValueTask.FromResult(SmtpReplies.RecipientOk) : inner.CheckRecipientAsync(session, from, to, ct);
}
