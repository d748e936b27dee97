using Estafeta.Imap.Grammar;
using Estafeta.Imap.Mime;
using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Commands;

/// <summary>
/// FETCH and UID FETCH (RFC 9051 §6.4.5) with BINARY (RFC 3516), MODSEQ and CHANGEDSINCE (RFC 7162 §3.1.4) and
/// VANISHED (RFC 7162 §3.2.6). Fetching a body section without .PEEK sets \Seen (not in a read-only mailbox) and the
/// new FLAGS are included. ENVELOPE and BODYSTRUCTURE come from the shared structure cache.
/// </summary>
internal static class FetchCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var view = ((SelectedState)state).Mailbox;
        var set = t.SequenceSet();
        t.Sp();
        var items = FetchAttribute.ReadList(t);
        long? changedSince = null;
        var vanished = false;
        if (t.Ok && t.TryByte((byte)' '))
        {
            t.List(() =>
            {
                var modifier = t.Keyword();
                if (modifier == "CHANGEDSINCE")
                {
                    t.Sp();
                    changedSince = t.Number();
                }
                else if (modifier == "VANISHED") vanished = true;
                else t.Fail($"Unknown FETCH modifier {modifier}");
            });
        }
        t.ExpectEnd();
        if (t.Error is { } error) return new(Completion.Bad(error), state);
        if (vanished && (!command.Uid || !context.QResync || changedSince is null))
            return new(Completion.Bad("VANISHED needs UID FETCH, CHANGEDSINCE and ENABLE QRESYNC"), state);
        var uids = view.Resolve(set, command.Uid);
        if (uids is null) return new(Completion.Bad("Invalid message sequence number"), state);

        if (command.Uid && !items.Any(i => i.Kind == FetchKind.Uid)) items.Insert(0, new FetchAttribute(FetchKind.Uid));
        if (changedSince is not null || items.Any(i => i.Kind == FetchKind.ModSeq) || (context.CondStore && items.Any(i => i.Kind == FetchKind.Flags)))
        {
            context.CondStore = true;
            if (!items.Any(i => i.Kind == FetchKind.ModSeq)) items.Add(new FetchAttribute(FetchKind.ModSeq));
        }

        var messages = await view.Store.GetMessagesAsync(uids, ct).ConfigureAwait(false);
        if (changedSince is { } since) messages = [.. messages.Where(m => m.ModSeq > since)];
        if (vanished) await WriteVanishedAsync(context, view, uids, changedSince!.Value, ct).ConfigureAwait(false);

        var setsSeen = !view.ReadOnly && items.Any(i => i.SetsSeen);
        if (setsSeen) messages = await MarkSeenAsync(view, messages, items, ct).ConfigureAwait(false);

        foreach (var message in messages)
        {
            var seq = view.SequenceOf(message.Uid);
            if (seq == 0) continue;
            await WriteMessageAsync(context, view, seq, message, items, ct).ConfigureAwait(false);
        }
        return new(Completion.Ok(command.FullName + " completed"), state);
    }

    /// <summary>Sets \Seen on the messages that lack it, and makes sure FLAGS is in their response.</summary>
    private static async Task<IReadOnlyList<ImapMessage>> MarkSeenAsync(SelectedMailbox view, IReadOnlyList<ImapMessage> messages, List<FetchAttribute> items, CancellationToken ct)
    {
        var unseen = messages.Where(m => !m.Flags.HasFlag(MessageFlags.Seen)).Select(m => m.Uid).ToList();
        if (unseen.Count == 0) return messages;
        var result = await view.Store.StoreFlagsAsync(UidSet.Of(unseen), FlagOperation.Add, MessageFlags.Seen, [], null, ct).ConfigureAwait(false);
        var updated = result.Messages.ToDictionary(m => m.Uid);
        foreach (var m in result.Messages) view.MarkReported(m.Uid, m.ModSeq);
        if (!items.Any(i => i.Kind == FetchKind.Flags)) items.Add(new FetchAttribute(FetchKind.Flags));
        return [.. messages.Select(m => updated.GetValueOrDefault(m.Uid) ?? m)];
    }

    private static async Task WriteVanishedAsync(SessionContext context, SelectedMailbox view, UidSet uids, long since, CancellationToken ct)
    {
        var changes = await view.Store.GetChangesAsync(since, ct).ConfigureAwait(false);
        var gone = changes.Vanished is { } known
            ? UidSet.Of(known.Where(uids.Contains))
            : uids.Except(await view.Store.GetUidsAsync(ct).ConfigureAwait(false));
        if (!gone.IsEmpty) context.Writer.Raw("* VANISHED (EARLIER) ").Raw(gone.ToString()).Crlf();
    }

    private static async Task WriteMessageAsync(SessionContext context, SelectedMailbox view, int seq, ImapMessage message, List<FetchAttribute> items, CancellationToken ct)
    {
        var w = context.Writer;
        MessageContent? content = null;
        var cached = context.Cache.Get(message.ContentId);
        if (items.Any(i => NeedsContent(i) && !(cached is not null && i.Kind is FetchKind.Envelope or FetchKind.Body or FetchKind.BodyStructure)))
        {
            content = await MessageContent.LoadAsync(view.Store, message, context.Cache, ct).ConfigureAwait(false);
            if (content is null) return;
        }
        try
        {
            w.Raw("* ").Number(seq).Raw(" FETCH (");
            for (var i = 0; i < items.Count; i++)
            {
                if (i > 0) w.Sp();
                var item = items[i];
                switch (item.Kind)
                {
                    case FetchKind.Uid: w.Raw("UID ").Number(message.Uid); break;
                    case FetchKind.Flags:
                        w.Raw("FLAGS ");
                        FlagText.Write(w, message.Flags, message.Keywords, view.IsRecent(message.Uid));
                        break;
                    case FetchKind.InternalDate: w.Raw("INTERNALDATE \"").Raw(ImapDate.Format(message.InternalDate)).Raw("\""); break;
                    case FetchKind.Size: w.Raw("RFC822.SIZE ").Number(message.Size); break;
                    case FetchKind.ModSeq: w.Raw("MODSEQ (").Number(message.ModSeq).Raw(")"); break;
                    case FetchKind.Rfc822 when item.PartialStart is null:
                    case FetchKind.Section when item.Section == Section.Whole && item.PartialStart is null:
                        w.Raw(item.Kind == FetchKind.Rfc822 ? "RFC822 " : "BODY[] ");
                        await WriteWholeAsync(w, view, message, ct).ConfigureAwait(false);
                        break;
                    default:
                        await WriteItemAsync(w, content, cached, item, ct).ConfigureAwait(false);
                        break;
                }
            }
            w.Raw(")\r\n");
        }
        finally
        {
            if (content is not null) await content.DisposeAsync().ConfigureAwait(false);
        }
    }

    private static async Task WriteWholeAsync(ResponseWriter w, SelectedMailbox view, ImapMessage message, CancellationToken ct)
    {
        var stream = await view.Store.OpenContentAsync(message.Uid, ct).ConfigureAwait(false);
        if (stream is null)
        {
            w.Raw("{0}\r\n");
            return;
        }
        await using (stream.ConfigureAwait(false))
        {
            w.LiteralHeader(message.Size);
            await w.CopyAsync(stream, message.Size, ct).ConfigureAwait(false);
        }
    }

    private static async Task WriteItemAsync(ResponseWriter w, MessageContent? content, MessageNode? cached, FetchAttribute item, CancellationToken ct)
    {
        if (item.Kind is FetchKind.Envelope or FetchKind.Body or FetchKind.BodyStructure)
        {
            var structure = cached ?? await content!.StructureAsync(ct).ConfigureAwait(false);
            if (item.Kind == FetchKind.Envelope)
            {
                w.Raw("ENVELOPE ");
                EnvelopeWriter.Write(w, structure.Envelope);
            }
            else
            {
                w.Raw(item.Kind == FetchKind.Body ? "BODY " : "BODYSTRUCTURE ");
                BodyStructureWriter.Write(w, structure.Body, item.Kind == FetchKind.BodyStructure);
            }
            return;
        }
        await WriteContentItemAsync(w, content!, item, ct).ConfigureAwait(false);
    }

    private static async Task WriteContentItemAsync(ResponseWriter w, MessageContent content, FetchAttribute item, CancellationToken ct)
    {
        switch (item.Kind)
        {
            case FetchKind.Rfc822:
                w.Raw("RFC822 ");
                Literal(w, await SectionReader.ReadAsync(content, Section.Whole, ct).ConfigureAwait(false), binary: false);
                return;
            case FetchKind.Rfc822Header:
                w.Raw("RFC822.HEADER ");
                Literal(w, await SectionReader.ReadAsync(content, new Section([], SectionText.Header, []), ct).ConfigureAwait(false), binary: false);
                return;
            case FetchKind.Rfc822Text:
                w.Raw("RFC822.TEXT ");
                Literal(w, await SectionReader.ReadAsync(content, new Section([], SectionText.Text, []), ct).ConfigureAwait(false), binary: false);
                return;
            case FetchKind.Section:
            {
                var bytes = await SectionReader.ReadAsync(content, item.Section!, ct).ConfigureAwait(false);
                w.Raw("BODY[").Raw(item.Section!.ToString()).Raw("]");
                Partial(w, item, bytes, binary: false);
                return;
            }
            case FetchKind.Binary:
            {
                var bytes = await SectionReader.ReadBinaryAsync(content, item.Section!, ct).ConfigureAwait(false);
                w.Raw("BINARY[").Raw(item.Section!.ToString()).Raw("]");
                if (bytes is null)
                {
                    w.Raw(" NIL");
                    return;
                }
                Partial(w, item, bytes, binary: true);
                return;
            }
            case FetchKind.BinarySize:
            {
                var bytes = await SectionReader.ReadBinaryAsync(content, item.Section!, ct).ConfigureAwait(false);
                w.Raw("BINARY.SIZE[").Raw(item.Section!.ToString()).Raw("] ").Number(bytes?.Length ?? 0);
                return;
            }
        }
    }

    private static void Partial(ResponseWriter w, FetchAttribute item, byte[] bytes, bool binary)
    {
        if (item.PartialStart is { } start)
        {
            w.Raw("<").Number(start).Raw(">");
            var from = (int)Math.Min(start, bytes.Length);
            var length = (int)Math.Min(item.PartialLength!.Value, bytes.Length - from);
            bytes = bytes.AsSpan(from, length).ToArray();
        }
        w.Sp();
        Literal(w, bytes, binary);
    }

    private static void Literal(ResponseWriter w, byte[] bytes, bool binary)
    {
        w.LiteralHeader(bytes.Length, binary && bytes.AsSpan().IndexOf((byte)0) >= 0);
        w.Raw(bytes);
    }

    private static bool NeedsContent(FetchAttribute item) => item.Kind switch
    {
        FetchKind.Uid or FetchKind.Flags or FetchKind.InternalDate or FetchKind.Size or FetchKind.ModSeq => false,
        FetchKind.Rfc822 => item.PartialStart is not null,
        FetchKind.Section => item.Section != Section.Whole || item.PartialStart is not null,
        _ => true,
    };
}
