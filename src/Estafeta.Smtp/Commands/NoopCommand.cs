using Estafeta.Smtp.Session;

namespace Estafeta.Smtp.Commands;

/// <summary>NOOP (RFC 5321 §4.1.1.9): any argument is ignored.</summary>
internal static class NoopCommand
{
    public static ValueTask<SessionStep> ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> argument, CancellationToken ct)
    {
        session.Reply(SmtpReplies.Ok);
        return ValueTask.FromResult(SessionStep.Continue);
    }
}
