using Estafeta.Smtp.Session;

namespace Estafeta.Smtp.Commands;

/// <summary>QUIT (RFC 5321 §4.1.1.10): 221, then the connection closes. Arguments are tolerated.</summary>
internal static class QuitCommand
{
    public static ValueTask<SessionStep> ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> argument, CancellationToken ct)
    {
        session.Reply(new SmtpReply(221, "2.0.0", $"{session.Options.HostName} closing connection"));
        return ValueTask.FromResult(SessionStep.Close("QUIT"));
    }
}
