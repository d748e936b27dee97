using Estafeta.Smtp.Session;

namespace Estafeta.Smtp.Commands;

/// <summary>EXPN (RFC 5321 §3.5.2): not offered. Expanding a list would disclose its members, which §7.3
/// allows a server to refuse; the answer is 502 5.5.1 whatever the argument.</summary>
internal static class ExpnCommand
{
    public static SmtpReply NotAvailable { get; } = new(502, "5.5.1", "EXPN not available: list members are not disclosed");

    public static ValueTask<SessionStep> ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> argument, CancellationToken ct)
    {
        session.Reply(NotAvailable);
        return ValueTask.FromResult(SessionStep.Continue);
    }
}
