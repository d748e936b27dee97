using Estafeta.Smtp.Session;

namespace Estafeta.Smtp.Commands;

/// <summary>HELP (RFC 5321 §4.1.1.8): the list of commands; any argument is ignored.</summary>
internal static class HelpCommand
{
    public static SmtpReply Help { get; } = new(214, "2.0.0",
        "Commands: EHLO HELO STARTTLS AUTH MAIL RCPT DATA RSET NOOP VRFY HELP QUIT\nSee RFC 5321");

    public static ValueTask<SessionStep> ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> argument, CancellationToken ct)
    {
        session.Reply(Help);
        return ValueTask.FromResult(SessionStep.Continue);
    }
}
