using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Commands;

/// <summary>
/// STORE and UID STORE (RFC 9051 §6.4.6): FLAGS, +FLAGS, -FLAGS, each with .SILENT, and the UNCHANGEDSINCE
/// modifier (RFC 7162 §3.1.3): messages changed since are left alone and named in [MODIFIED ...].
/// </summary>
internal static class StoreCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var view = ((SelectedState)state).Mailbox;
        var set = t.SequenceSet();
        t.Sp();
        long? unchangedSince = null;
        if (t.Peek() == '(')
        {
            t.List(() =>
            {
                var modifier = t.Keyword();
                if (modifier != "UNCHANGEDSINCE") t.Fail($"Unknown STORE modifier {modifier}");
                t.Sp();
                unchangedSince = t.Number();
            });
            t.Sp();
        }
        var action = t.Atom().ToUpperInvariant();
        t.Sp();
        var (flags, keywords) = FlagText.ReadList(t, allowBare: true);
        t.ExpectEnd();
        var silent = action.EndsWith(".SILENT", StringComparison.Ordinal);
        FlagOperation? operation = action switch
        {
            "FLAGS" or "FLAGS.SILENT" => FlagOperation.Replace,
            "+FLAGS" or "+FLAGS.SILENT" => FlagOperation.Add,
            "-FLAGS" or "-FLAGS.SILENT" => FlagOperation.Remove,
            _ => null,
        };
        if (t.Ok && operation is null) t.Fail($"Unknown STORE action {action}");
        if (t.Error is { } error) return new(Completion.Bad(error), state);
        if (view.ReadOnly) return new(Completion.No("The mailbox is read-only", "READ-ONLY"), state);
        var uids = view.Resolve(set, command.Uid);
        if (uids is null) return new(Completion.Bad("Invalid message sequence number"), state);
        if (unchangedSince is not null) context.CondStore = true;

        var result = await view.Store.StoreFlagsAsync(uids, operation!.Value, flags, keywords, unchangedSince, ct).ConfigureAwait(false);
        if (view.AddKeywords(result.Messages.SelectMany(m => m.Keywords))) view.WriteFlags(context.Writer);
        var w = context.Writer;
        foreach (var message in result.Messages)
        {
            var seq = view.SequenceOf(message.Uid);
            if (seq == 0 || view.IsExpungePending(message.Uid)) continue;
            view.MarkReported(message.Uid, message.ModSeq);
            if (silent && !context.CondStore) continue;
            w.Raw("* ").Number(seq).Raw(" FETCH (");
            var first = true;
            if (command.Uid)
            {
                w.Raw("UID ").Number(message.Uid);
                first = false;
            }
            if (!silent)
            {
                if (!first) w.Sp();
                w.Raw("FLAGS ");
                FlagText.Write(w, message.Flags, message.Keywords, view.IsRecent(message.Uid));
                first = false;
            }
            if (context.CondStore)
            {
                if (!first) w.Sp();
                w.Raw("MODSEQ (").Number(message.ModSeq).Raw(")");
            }
            w.Raw(")\r\n");
        }
        if (result.Failed.Count > 0)
        {
            var failed = command.Uid ? UidSet.Of(result.Failed) : UidSet.Of(result.Failed.Select(u => (long)view.SequenceOf(u)).Where(s => s > 0));
            return new(Completion.Ok("Conditional STORE failed for some messages", "MODIFIED " + failed), state);
        }
        return new(Completion.Ok(command.FullName + " completed"), state);
    }
}
