using Estafeta.Imap.Grammar;
using Estafeta.Imap.Session;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Commands;

/// <summary>The STATUS data items (RFC 9051 §6.3.11, RFC 7162 HIGHESTMODSEQ, RFC 8438 SIZE), shared by STATUS
/// and LIST RETURN (STATUS ...) (RFC 5819).</summary>
internal static class StatusItems
{
    private static readonly string[] Known = ["MESSAGES", "UIDNEXT", "UIDVALIDITY", "UNSEEN", "DELETED", "SIZE", "HIGHESTMODSEQ", "RECENT"];

    public static List<string> Read(Tokenizer t)
    {
        var items = new List<string>();
        t.List(() =>
        {
            var item = t.Keyword();
            if (!t.Ok) return;
            if (!Known.Contains(item)) t.Fail($"Unknown STATUS item {item}");
            else if (!items.Contains(item)) items.Add(item);
        }, allowEmpty: false);
        return items;
    }

    /// <summary>"* STATUS name (MESSAGES 3 UNSEEN 1)".</summary>
    public static void Write(SessionContext context, string name, MailboxStatus status, IReadOnlyList<string> items)
    {
        if (items.Contains("HIGHESTMODSEQ")) context.CondStore = true;
        var w = context.Writer;
        w.Raw("* STATUS ").String(context.MailboxToWire(name)).Raw(" (");
        for (var i = 0; i < items.Count; i++)
        {
            if (i > 0) w.Sp();
            w.Raw(items[i]).Sp().Number(items[i] switch
            {
                "MESSAGES" => status.Messages,
                "UIDNEXT" => status.UidNext,
                "UIDVALIDITY" => status.UidValidity,
                "UNSEEN" => status.Unseen,
                "DELETED" => status.Deleted,
                "SIZE" => status.Size,
                "HIGHESTMODSEQ" => status.HighestModSeq,
                "RECENT" => status.Recent,
                _ => throw new InvalidOperationException($"STATUS item {items[i]} is read but not written"),
            });
        }
        w.Raw(")\r\n");
    }
}
