using Estafeta.Smtp;

namespace Estafeta.Mail.Feedback;

/// <summary>The MX policy with one step in front: RCPT to a signed VERP address or to a local domain's feedback
/// address is accepted (the message is read by <see cref="FeedbackReceiver"/>); everything else is the inner policy's.</summary>
public sealed class FeedbackPolicy(ISmtpPolicy inner, FeedbackReceiver feedback) : ISmtpPolicy
{
    public ValueTask<SmtpPrincipal?> AuthenticateAsync(string login, string password, SmtpSessionInfo session, CancellationToken ct) =>
        inner.AuthenticateAsync(login, password, session, ct);

    public ValueTask<SmtpReply> CheckSenderAsync(SmtpSessionInfo session, ReversePath from, CancellationToken ct) =>
        inner.CheckSenderAsync(session, from, ct);

    public async ValueTask<SmtpReply> CheckRecipientAsync(SmtpSessionInfo session, ReversePath from, ForwardPath to, CancellationToken ct)
    {
        if (feedback.IsVerp(to.Address)) return SmtpReplies.RecipientOk;
        var reply = await inner.CheckRecipientAsync(session, from, to, ct);
        if (reply.Code >= 500 && await feedback.IsFeedbackAddressAsync(to.Address, ct)) return SmtpReplies.RecipientOk;
        return reply;
    }
}
