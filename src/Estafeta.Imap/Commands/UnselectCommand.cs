using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>UNSELECT (RFC 3691, RFC 9051 §6.4.2): leaves the mailbox without expunging.</summary>
internal static class UnselectCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        command.Args.ExpectEnd();
        if (command.Args.Error is { } error) return new(Completion.Bad(error), state);
        var selected = (SelectedState)state;
        await selected.Mailbox.Store.DisposeAsync().ConfigureAwait(false);
        return new(Completion.Ok("UNSELECT completed"), selected.Unselected());
    }
}
