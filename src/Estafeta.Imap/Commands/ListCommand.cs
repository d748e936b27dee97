using System.Text;
using Estafeta.Imap.Grammar;
using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Commands;

/// <summary>
/// LIST (RFC 9051 §6.3.9) with LIST-EXTENDED (RFC 5258: selection options SUBSCRIBED, REMOTE, RECURSIVEMATCH,
/// SPECIAL-USE; return options SUBSCRIBED, CHILDREN, SPECIAL-USE), LIST-STATUS (RFC 5819) and SPECIAL-USE
/// (RFC 6154). Levels that exist only as parents of deeper names are listed as \NonExistent (\Noselect for a
/// basic IMAP4rev1 LIST).
/// </summary>
internal static class ListCommand
{
    private sealed record Request(
        bool Extended, bool SelectSubscribed, bool SelectSpecialUse, bool RecursiveMatch,
        bool ReturnSubscribed, IReadOnlyList<string>? StatusItems, string Reference, IReadOnlyList<string> Patterns);

    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var request = Parse(command.Args, context);
        if (command.Args.Error is { } error) return new(Completion.Bad(error), state);
        if (request.RecursiveMatch && !request.SelectSubscribed)
            return new(Completion.Bad("RECURSIVEMATCH needs another selection option"), state);

        var w = context.Writer;
        if (request.Patterns is [""])
        {
            w.Raw("* LIST (\\Noselect) \"/\" \"\"\r\n");
            return new(Completion.Ok("LIST completed"), state);
        }

        var store = Stores.Of(state);
        var tree = MailboxTree.Build(await store.ListMailboxesAsync(ct).ConfigureAwait(false));
        var patterns = request.Patterns.Select(p => new ListPattern(request.Reference + p)).ToList();
        foreach (var name in tree.Names)
        {
            var entry = tree.Entry(name);
            var matches = patterns.Any(p => p.Matches(name));
            string? childInfo = null;
            if (request.SelectSubscribed)
            {
                if (!matches) continue;
                if (entry?.Subscribed != true)
                {
                    if (!request.RecursiveMatch || !tree.HasSubscribedDescendant(name)) continue;
                    childInfo = " (\"CHILDINFO\" (\"SUBSCRIBED\"))";
                }
            }
            else if (!matches || (request.SelectSpecialUse && entry?.SpecialUse is null)) continue;

            var attributes = new List<string>();
            if (entry is null) attributes.Add(request.Extended || context.Rev2 ? "\\NonExistent" : "\\Noselect");
            attributes.Add(tree.HasChildren(name) ? "\\HasChildren" : "\\HasNoChildren");
            if ((request.SelectSubscribed || request.ReturnSubscribed) && entry?.Subscribed == true) attributes.Add("\\Subscribed");
            if (entry?.SpecialUse is { } use) attributes.Add(use);
            w.Raw("* LIST (").Raw(string.Join(' ', attributes)).Raw(") \"/\" ").String(context.MailboxToWire(name));
            if (childInfo is not null) w.Raw(childInfo);
            w.Crlf();

            if (request.StatusItems is { } items && entry is not null
                && await store.GetStatusAsync(name, ct).ConfigureAwait(false) is { } status)
                StatusItems.Write(context, name, status, items);
        }
        return new(Completion.Ok("LIST completed"), state);
    }

    private static Request Parse(Tokenizer t, SessionContext context)
    {
        bool extended = false, subscribed = false, specialUse = false, recursive = false, returnSubscribed = false;
        List<string>? statusItems = null;
        if (t.Peek() == '(')
        {
            extended = true;
            t.List(() =>
            {
                switch (t.Keyword())
                {
                    case "SUBSCRIBED": subscribed = true; break;
                    case "REMOTE": break;
                    case "RECURSIVEMATCH": recursive = true; break;
                    case "SPECIAL-USE": specialUse = true; break;
                    case var other: t.Fail($"Unknown LIST selection option {other}"); break;
                }
            });
            t.Sp();
        }
        var reference = Decode(t.AStringBytes(), context);
        t.Sp();
        var patterns = new List<string>();
        if (t.Peek() == '(')
        {
            extended = true;
            t.List(() => patterns.Add(Decode(t.ListMailbox(), context)), allowEmpty: false);
        }
        else patterns.Add(Decode(t.ListMailbox(), context));

        if (t.Ok && t.TryByte((byte)' '))
        {
            extended = true;
            if (!t.TryWord("RETURN")) t.Fail("Expected RETURN");
            t.Sp();
            t.List(() =>
            {
                switch (t.Keyword())
                {
                    case "SUBSCRIBED": returnSubscribed = true; break;
                    case "CHILDREN": break;
                    case "SPECIAL-USE": break;
                    case "STATUS":
                        t.Sp();
                        statusItems = Commands.StatusItems.Read(t);
                        break;
                    case var other: t.Fail($"Unknown LIST return option {other}"); break;
                }
            });
        }
        t.ExpectEnd();
        return new Request(extended, subscribed, specialUse, recursive, returnSubscribed, statusItems, reference, patterns);
    }

    /// <summary>Reference names and patterns keep their wildcards; only the encoding is undone.</summary>
    private static string Decode(byte[] wire, SessionContext context)
    {
        var text = Tokenizer.Utf8(wire);
        if (context.Utf8Names || wire.AsSpan().IndexOfAnyInRange((byte)0x80, (byte)0xff) >= 0)
        {
            try
            {
                return text.Normalize(NormalizationForm.FormC);
            }
            catch (ArgumentException)
            {
                // U+FFFE, which .NET cannot normalise and no mailbox name holds: the pattern stays as it is and matches nothing.
                return text;
            }
        }
        return ModifiedUtf7.TryDecode(text, out var decoded) ? decoded : text;
    }
}
