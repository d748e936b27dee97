using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>MOVE and UID MOVE (RFC 6851): COPYUID in an untagged OK, then the expunges of the moved messages.</summary>
internal static class MoveCommand
{
    public static ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct) =>
        CopyCommand.TransferAsync(context, state, command, move: true, ct);
}
