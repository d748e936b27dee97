using Estafeta.Smtp.Grammar;
using Estafeta.Smtp.Session;

namespace Estafeta.Smtp.Commands;

/// <summary>MAIL (RFC 5321 §4.1.1.2): starts a transaction once the grammar, the size and the policy agree.
/// Submission requires a login first (RFC 6409 §4.3, 530 5.7.0).</summary>
internal static class MailCommand
{
    public static SmtpReply AuthenticationRequired { get; } = new(530, "5.7.0", "Authentication required");

    public static async ValueTask<SessionStep> ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> argument, CancellationToken ct)
    {
        var helo = ((AfterHelo)session.State).Helo;
        if (session.Options.Mode == SmtpMode.Submission && session.Principal is null)
        {
            session.Reply(AuthenticationRequired);
            return SessionStep.Continue;
        }
        if (!MailArguments.TryParse(argument.Span, session.Principal is not null, out var from, out var error))
        {
            session.Reply(error);
            return SessionStep.Continue;
        }
        if (from.Size > session.Options.MaxMessageSize)
        {
            session.Reply(Replies.MessageTooLarge(session.Options.MaxMessageSize));
            return SessionStep.Continue;
        }
        var info = session.Info;
        var reply = await session.AskAsync("sender check", c => session.Policy.CheckSenderAsync(info, from, c), ct).ConfigureAwait(false);
        if (reply.IsSuccess) session.State = new MailStarted(helo, from);
        session.Reply(reply);
        return SessionStep.Continue;
    }
}
