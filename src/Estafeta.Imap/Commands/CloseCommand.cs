using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>CLOSE (RFC 9051 §6.4.1): removes the messages with \Deleted (unless the mailbox was opened with
/// EXAMINE), silently, and leaves the mailbox.</summary>
internal static class CloseCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        command.Args.ExpectEnd();
        if (command.Args.Error is { } error) return new(Completion.Bad(error), state);
        var selected = (SelectedState)state;
        if (!selected.Mailbox.ReadOnly) await selected.Mailbox.Store.ExpungeAsync(null, ct).ConfigureAwait(false);
        await selected.Mailbox.Store.DisposeAsync().ConfigureAwait(false);
        return new(Completion.Ok("CLOSE completed"), selected.Unselected());
    }
}
