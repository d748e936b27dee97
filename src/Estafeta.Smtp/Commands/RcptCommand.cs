using System.Collections.Immutable;
using Estafeta.Smtp.Grammar;
using Estafeta.Smtp.Session;

namespace Estafeta.Smtp.Commands;

/// <summary>RCPT (RFC 5321 §4.1.1.3): adds a recipient the policy accepts, up to the limit (452 4.5.3).</summary>
internal static class RcptCommand
{
    public static SmtpReply TooManyRecipients { get; } = new(452, "4.5.3", "Too many recipients");

    public static async ValueTask<SessionStep> ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> argument, CancellationToken ct)
    {
        var (helo, from, recipients) = session.State switch
        {
            RecipientsAdded r => (r.Helo, r.From, r.Recipients),
            MailStarted m => (m.Helo, m.From, ImmutableArray<ForwardPath>.Empty),
            _ => throw new InvalidOperationException("RCPT runs only inside a mail transaction."),
        };
        if (!RcptArguments.TryParse(argument.Span, from.SmtpUtf8, out var to, out var error))
        {
            session.Reply(error);
            return SessionStep.Continue;
        }
        if (recipients.Length >= session.Options.MaxRecipients)
        {
            session.Reply(TooManyRecipients);
            return SessionStep.Continue;
        }
        var info = session.Info;
        var reply = await session.AskAsync("recipient check", c => session.Policy.CheckRecipientAsync(info, from, to, c), ct).ConfigureAwait(false);
        if (reply.IsSuccess) session.State = new RecipientsAdded(helo, from, recipients.Add(to));
        session.Reply(reply);
        return SessionStep.Continue;
    }
}
