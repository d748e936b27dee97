using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>LOGOUT (RFC 9051 §6.1.3): "* BYE", then the tagged OK, then the connection closes.</summary>
internal static class LogoutCommand
{
    public static ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        command.Args.ExpectEnd();
        if (command.Args.Error is { } error) return new(new Outcome(Completion.Bad(error), state));
        context.Writer.Raw("* BYE Logging out\r\n");
        return new(new Outcome(Completion.Ok("LOGOUT completed"), state, SessionAction.Close));
    }
}
