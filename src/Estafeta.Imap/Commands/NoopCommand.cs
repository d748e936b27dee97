using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>NOOP (RFC 9051 §6.1.2) and CHECK (RFC 3501 §6.4.1): nothing, except that the session then reports
/// what changed in the selected mailbox.</summary>
internal static class NoopCommand
{
    public static ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        command.Args.ExpectEnd();
        if (command.Args.Error is { } error) return new(new Outcome(Completion.Bad(error), state));
        return new(new Outcome(Completion.Ok(command.Name + " completed"), state));
    }
}
