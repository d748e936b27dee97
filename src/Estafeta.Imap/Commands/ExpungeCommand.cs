using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Commands;

/// <summary>EXPUNGE (RFC 9051 §6.4.3) and UID EXPUNGE set (RFC 4315 §2.1): removes the messages with \Deleted
/// (only those in the set for UID EXPUNGE) and announces each one.</summary>
internal static class ExpungeCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var selected = (SelectedState)state;
        UidSet? uids = null;
        if (command.Uid) uids = selected.Mailbox.Resolve(t.SequenceSet(), uid: true);
        t.ExpectEnd();
        if (t.Error is { } error) return new(Completion.Bad(error), state);
        if (selected.Mailbox.ReadOnly) return new(Completion.No("The mailbox is read-only", "READ-ONLY"), state);

        var result = await selected.Mailbox.Store.ExpungeAsync(uids, ct).ConfigureAwait(false);
        selected.Mailbox.AnnounceExpunged(context, result.Expunged);
        var code = context.CondStore && result.ModSeq > 0 ? $"HIGHESTMODSEQ {result.ModSeq}" : null;
        return new(Completion.Ok(command.FullName + " completed", code), state);
    }
}
