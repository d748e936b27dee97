using Estafeta.Imap.Grammar;
using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Commands;

/// <summary>RENAME (RFC 9051 §6.3.6). Renaming INBOX moves all its messages to a new mailbox and leaves INBOX empty.</summary>
internal static class RenameCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var from = MailboxArgument.Read(t, context);
        t.Sp();
        var to = MailboxArgument.Read(t, context);
        t.ExpectEnd();
        if (t.Error is { } error) return new(Completion.Bad(error), state);
        if (MailboxNames.IsInbox(to)) return new(Completion.No("INBOX already exists", "ALREADYEXISTS"), state);
        if (to.StartsWith(from + MailboxNames.Separator, StringComparison.Ordinal))
            return new(Completion.No("A mailbox cannot be moved below itself", "CANNOT"), state);

        var store = Stores.Of(state);
        var outcome = MailboxNames.IsInbox(from)
            ? await MoveInboxAsync(store, to, ct).ConfigureAwait(false)
            : await store.RenameMailboxAsync(from, to, ct).ConfigureAwait(false);
        return outcome switch
        {
            StoreOutcome.Ok => new(Completion.Ok("RENAME completed"), state),
            StoreOutcome.NoSuchMailbox => new(Completion.No("Mailbox does not exist", "NONEXISTENT"), state),
            StoreOutcome.AlreadyExists => new(Completion.No("The new name is already taken", "ALREADYEXISTS"), state),
            StoreOutcome.OverQuota => new(Completion.No("Over quota", "OVERQUOTA"), state),
            _ => new(Completion.No("Cannot rename this mailbox", "CANNOT"), state),
        };
    }

    private static async ValueTask<StoreOutcome> MoveInboxAsync(IImapStore store, string to, CancellationToken ct)
    {
        var created = await store.CreateMailboxAsync(to, null, ct).ConfigureAwait(false);
        if (created != StoreOutcome.Ok) return created;
        var inbox = await store.OpenMailboxAsync(MailboxNames.Inbox, ct).ConfigureAwait(false);
        if (inbox is null) return StoreOutcome.NoSuchMailbox;
        await using (inbox.ConfigureAwait(false))
        {
            var uids = await inbox.GetUidsAsync(ct).ConfigureAwait(false);
            if (uids.Count == 0) return StoreOutcome.Ok;
            var result = await inbox.CopyAsync(UidSet.Of(uids), to, move: true, ct).ConfigureAwait(false);
            return result.Outcome;
        }
    }
}
