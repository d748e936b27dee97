using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Commands;

/// <summary>COPY and UID COPY (RFC 9051 §6.4.7) with COPYUID (RFC 4315); TRYCREATE when the target does not exist.</summary>
internal static class CopyCommand
{
    public static ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct) =>
        TransferAsync(context, state, command, move: false, ct);

    /// <summary>The copy workflow shared with MOVE.</summary>
    public static async ValueTask<Outcome> TransferAsync(SessionContext context, SessionState state, ImapCommand command, bool move, CancellationToken ct)
    {
        var t = command.Args;
        var view = ((SelectedState)state).Mailbox;
        var set = t.SequenceSet();
        t.Sp();
        var target = MailboxArgument.Read(t, context);
        t.ExpectEnd();
        if (t.Error is { } error) return new(Completion.Bad(error), state);
        var uids = view.Resolve(set, command.Uid);
        if (uids is null) return new(Completion.Bad("Invalid message sequence number"), state);
        if (move && view.ReadOnly) return new(Completion.No("The mailbox is read-only", "READ-ONLY"), state);
        if (uids.IsEmpty) return new(Completion.Ok(command.FullName + " completed"), state);

        var result = await view.Store.CopyAsync(uids, target, move, ct).ConfigureAwait(false);
        switch (result.Outcome)
        {
            case StoreOutcome.NoSuchMailbox: return new(Completion.No("Mailbox does not exist", "TRYCREATE"), state);
            case StoreOutcome.OverQuota: return new(Completion.No("Over quota", "OVERQUOTA"), state);
            case not StoreOutcome.Ok: return new(Completion.No($"Cannot {command.Name.ToLowerInvariant()} to this mailbox", "CANNOT"), state);
        }
        var code = result.SourceUids.Count == 0 ? null
            : $"COPYUID {result.TargetUidValidity} {UidSet.Of(result.SourceUids)} {UidSet.Of(result.TargetUids)}";
        if (!move) return new(Completion.Ok(command.FullName + " completed", code), state);

        if (code is not null) context.Writer.Raw("* OK [").Raw(code).Raw("] Moved\r\n");
        view.AnnounceExpunged(context, result.Expunged?.Expunged ?? result.SourceUids);
        return new(Completion.Ok(command.FullName + " completed"), state);
    }
}
