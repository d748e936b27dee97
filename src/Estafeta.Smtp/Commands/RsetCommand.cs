using Estafeta.Smtp.Session;

namespace Estafeta.Smtp.Commands;

/// <summary>RSET (RFC 5321 §4.1.1.5): drops the mail transaction; HELO/EHLO, TLS and the login stay.</summary>
internal static class RsetCommand
{
    public static ValueTask<SessionStep> ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> argument, CancellationToken ct)
    {
        if (!argument.IsEmpty)
        {
            session.Reply(Replies.NoArguments("RSET"));
            return ValueTask.FromResult(SessionStep.Continue);
        }
        if (session.State is AfterHelo state) session.State = new Greeted(state.Helo);
        session.Reply(SmtpReplies.Ok);
        return ValueTask.FromResult(SessionStep.Continue);
    }
}
