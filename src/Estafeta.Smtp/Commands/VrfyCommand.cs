using Estafeta.Smtp.Session;

namespace Estafeta.Smtp.Commands;

/// <summary>VRFY (RFC 5321 §3.5.3): never confirms whether a mailbox exists (that would let anyone harvest
/// addresses) and answers 252 as the RFC suggests.</summary>
internal static class VrfyCommand
{
    public static SmtpReply Usage { get; } = new(501, "5.5.4", "Syntax: VRFY address");
    public static SmtpReply CannotVerify { get; } = new(252, "2.5.0", "Cannot VRFY user, but will accept message and attempt delivery");

    public static ValueTask<SessionStep> ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> argument, CancellationToken ct)
    {
        session.Reply(argument.Span.Trim((byte)' ').IsEmpty ? Usage : CannotVerify);
        return ValueTask.FromResult(SessionStep.Continue);
    }
}
