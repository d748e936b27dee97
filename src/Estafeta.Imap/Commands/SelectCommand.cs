using Estafeta.Imap.Grammar;
using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Commands;

/// <summary>
/// SELECT and EXAMINE (RFC 9051 §6.3.2-3), with the CONDSTORE parameter and QRESYNC (RFC 7162 §3.2.5): with the
/// client's UIDVALIDITY and modseq, it answers with VANISHED (EARLIER) and FETCH for what changed since.
/// A mailbox selected before is closed first (without expunging), also when the new one cannot be opened.
/// </summary>
internal static class SelectCommand
{
    private sealed record QResyncParameters(long UidValidity, long ModSeq, SequenceSet? KnownUids);

    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var name = MailboxArgument.Read(t, context);
        var condStore = false;
        QResyncParameters? qresync = null;
        if (t.Ok && t.TryByte((byte)' '))
        {
            t.List(() =>
            {
                var parameter = t.Keyword();
                if (parameter == "CONDSTORE") condStore = true;
                else if (parameter == "QRESYNC")
                {
                    t.Sp();
                    qresync = ReadQResync(t);
                }
                else t.Fail($"Unknown SELECT parameter {parameter}");
            });
        }
        t.ExpectEnd();
        if (t.Error is { } error) return new(Completion.Bad(error), state);
        if (qresync is not null && !context.QResync) return new(Completion.Bad("QRESYNC must be enabled first (ENABLE QRESYNC)"), state);

        var readOnly = command.Name == "EXAMINE";
        var authenticated = await DeselectAsync(context, state).ConfigureAwait(false);
        var mailbox = await authenticated.Store.OpenMailboxAsync(name, ct).ConfigureAwait(false);
        if (mailbox is null) return new(Completion.No("Mailbox does not exist", "NONEXISTENT"), authenticated);

        MailboxSnapshot snapshot;
        SelectedMailbox view;
        try
        {
            snapshot = await mailbox.GetSnapshotAsync(ct).ConfigureAwait(false);
            view = new SelectedMailbox(mailbox, readOnly, snapshot);
            await view.ClaimRecentAsync(context, view.Uids, ct).ConfigureAwait(false);
        }
        catch
        {
            await mailbox.DisposeAsync().ConfigureAwait(false);
            throw;
        }
        if (condStore) context.CondStore = true;
        var w = context.Writer;
        view.WriteFlags(w);
        w.Raw("* ").Number(view.Count).Raw(" EXISTS\r\n");
        if (!context.Rev2)
        {
            w.Raw("* ").Number(view.RecentCount).Raw(" RECENT\r\n");
            if (snapshot.FirstUnseenUid is { } unseen && view.SequenceOf(unseen) is > 0 and var seq)
                w.Raw("* OK [UNSEEN ").Number(seq).Raw("] First unseen\r\n");
        }
        w.Raw("* OK [UIDVALIDITY ").Number(view.UidValidity).Raw("] UIDs valid\r\n");
        w.Raw("* OK [UIDNEXT ").Number(snapshot.UidNext).Raw("] Predicted next UID\r\n");
        w.Raw("* OK [HIGHESTMODSEQ ").Number(snapshot.HighestModSeq).Raw("] Highest\r\n");
        if (context.Rev2) w.Raw("* LIST () \"/\" ").String(context.MailboxToWire(view.Name)).Crlf();

        var selected = new SelectedState(authenticated.Principal, authenticated.Store, view);
        if (qresync is not null && qresync.UidValidity == view.UidValidity)
            await ResynchroniseAsync(context, view, qresync, ct).ConfigureAwait(false);
        return new(Completion.Ok(command.Name + " completed", readOnly ? "READ-ONLY" : "READ-WRITE"), selected);
    }

    /// <summary>Leaves the selected mailbox, if any, without expunging; "* OK [CLOSED]" when QRESYNC is on.</summary>
    public static async ValueTask<AuthenticatedState> DeselectAsync(SessionContext context, SessionState state)
    {
        if (state is not SelectedState selected) return (AuthenticatedState)state;
        await selected.Mailbox.Store.DisposeAsync().ConfigureAwait(false);
        if (context.QResync) context.Writer.Raw("* OK [CLOSED] Previous mailbox closed\r\n");
        return selected.Unselected();
    }

    private static QResyncParameters? ReadQResync(Tokenizer t)
    {
        QResyncParameters? result = null;
        t.Expect((byte)'(', "'('");
        if (!t.Enter()) return null;
        var uidValidity = t.Number(nonZero: true);
        t.Sp();
        var modSeq = t.Number(nonZero: true);
        SequenceSet? known = null;
        if (t.Ok && t.TryByte((byte)' '))
        {
            if (t.AtSequenceSet())
            {
                known = t.SequenceSet();
                if (t.Ok && t.TryByte((byte)' ')) SkipSequenceMatch(t);
            }
            else SkipSequenceMatch(t);
        }
        t.Expect((byte)')', "')'");
        t.Leave();
        if (t.Ok) result = new QResyncParameters(uidValidity, modSeq, known);
        return result;
    }

    /// <summary>The (known-sequence-set known-uid-set) hint is optional help for the server; it is read and ignored.</summary>
    private static void SkipSequenceMatch(Tokenizer t)
    {
        t.Expect((byte)'(', "'('");
        if (!t.Enter()) return;
        t.SequenceSet();
        t.Sp();
        t.SequenceSet();
        t.Expect((byte)')', "')'");
        t.Leave();
    }

    private static async ValueTask ResynchroniseAsync(SessionContext context, SelectedMailbox view, QResyncParameters q, CancellationToken ct)
    {
        var changes = await view.Store.GetChangesAsync(q.ModSeq, ct).ConfigureAwait(false);
        var scope = q.KnownUids is null
            ? UidSet.Range(1, Math.Max(view.UidNext - 1, view.MaxUid))
            : UidSet.FromRanges(q.KnownUids.Resolve(view.MaxUid));
        var vanished = changes.Vanished is { } known
            ? UidSet.Of(known.Where(scope.Contains).Where(u => view.SequenceOf(u) == 0))
            : scope.Except(view.Uids);
        if (!vanished.IsEmpty) context.Writer.Raw("* VANISHED (EARLIER) ").Raw(vanished.ToString()).Crlf();
        foreach (var message in changes.Changed)
        {
            var seq = view.SequenceOf(message.Uid);
            if (seq > 0 && message.ModSeq <= view.KnownModSeq) view.WriteFlagsFetch(context, seq, message);
        }
    }
}
