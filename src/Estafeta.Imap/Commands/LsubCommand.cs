using Estafeta.Imap.Grammar;
using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>LSUB (RFC 3501 §6.3.9), for IMAP4rev1 clients: the subscribed mailboxes matching the pattern.
/// A level matched by "%" that has subscribed children but is not subscribed itself is listed as \Noselect.</summary>
internal static class LsubCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var reference = Decode(t.AStringBytes(), context);
        t.Sp();
        var pattern = new ListPattern(reference + Decode(t.ListMailbox(), context));
        t.ExpectEnd();
        if (t.Error is { } error) return new(Completion.Bad(error), state);

        var tree = MailboxTree.Build(await Stores.Of(state).ListMailboxesAsync(ct).ConfigureAwait(false));
        foreach (var name in tree.Names)
        {
            if (!pattern.Matches(name)) continue;
            var entry = tree.Entry(name);
            string attributes;
            if (entry?.Subscribed == true) attributes = "";
            else if (tree.HasSubscribedDescendant(name)) attributes = "\\Noselect";
            else continue;
            context.Writer.Raw("* LSUB (").Raw(attributes).Raw(") \"/\" ").String(context.MailboxToWire(name)).Crlf();
        }
        return new(Completion.Ok("LSUB completed"), state);
    }

    private static string Decode(byte[] wire, SessionContext context)
    {
        var text = Tokenizer.Utf8(wire);
        if (context.Utf8Names) return text;
        return ModifiedUtf7.TryDecode(text, out var decoded) ? decoded : text;
    }
}
