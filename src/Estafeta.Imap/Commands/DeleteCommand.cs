using Estafeta.Imap.Grammar;
using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Commands;

/// <summary>DELETE (RFC 9051 §6.3.5): INBOX cannot be deleted; mailboxes below the deleted one stay.</summary>
internal static class DeleteCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var name = MailboxArgument.Read(t, context);
        t.ExpectEnd();
        if (t.Error is { } error) return new(Completion.Bad(error), state);
        if (MailboxNames.IsInbox(name)) return new(Completion.No("INBOX cannot be deleted", "CANNOT"), state);
        if (state is SelectedState selected && selected.Mailbox.Name == name)
            state = await SelectCommand.DeselectAsync(context, state).ConfigureAwait(false);

        return await Stores.Of(state).DeleteMailboxAsync(name, ct).ConfigureAwait(false) switch
        {
            StoreOutcome.Ok => new(Completion.Ok("DELETE completed"), state),
            StoreOutcome.NoSuchMailbox => new(Completion.No("Mailbox does not exist", "NONEXISTENT"), state),
            _ => new(Completion.No("Cannot delete this mailbox", "CANNOT"), state),
        };
    }
}
