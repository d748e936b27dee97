using Estafeta.Imap.Grammar;
using Estafeta.Imap.Protocol;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Session;

/// <summary>System flags and keywords between the wire and <see cref="MessageFlags"/>.</summary>
internal static class FlagText
{
    public const string SystemFlags = "\\Answered \\Flagged \\Deleted \\Seen \\Draft";

    private static readonly (MessageFlags Flag, string Name)[] Names =
    [
        (MessageFlags.Answered, "\\Answered"),
        (MessageFlags.Flagged, "\\Flagged"),
        (MessageFlags.Deleted, "\\Deleted"),
        (MessageFlags.Seen, "\\Seen"),
        (MessageFlags.Draft, "\\Draft"),
    ];

    /// <summary>"(\Seen $Forwarded)", with \Recent after the system flags (where Dovecot puts it) when the message is recent for this session.</summary>
    public static void Write(ResponseWriter w, MessageFlags flags, IReadOnlyList<string> keywords, bool recent)
    {
        w.Open();
        var first = true;
        foreach (var (flag, name) in Names)
        {
            if (!flags.HasFlag(flag)) continue;
            if (!first) w.Sp();
            w.Raw(name);
            first = false;
        }
        if (recent)
        {
            if (!first) w.Sp();
            w.Raw("\\Recent");
            first = false;
        }
        foreach (var keyword in keywords)
        {
            if (!first) w.Sp();
            w.Raw(keyword);
            first = false;
        }
        w.Close();
    }

    /// <summary>The system flag named, or null for a keyword; <paramref name="valid"/> is false for an unknown
    /// system flag (\Recent cannot be set; other backslash names are errors).</summary>
    public static MessageFlags? Parse(string name, out bool valid)
    {
        valid = true;
        if (!name.StartsWith('\\')) return null;
        foreach (var (flag, text) in Names)
            if (text.Equals(name, StringComparison.OrdinalIgnoreCase)) return flag;
        valid = false;
        return MessageFlags.None;
    }

    /// <summary>Reads a flag list "(...)" (or with <paramref name="allowBare"/> a single flag or several flags
    /// separated by spaces without parentheses, as STORE allows).</summary>
    public static (MessageFlags Flags, List<string> Keywords) ReadList(Tokenizer t, bool allowBare)
    {
        var flags = MessageFlags.None;
        var keywords = new List<string>();
        void Item()
        {
            var name = t.TryByte((byte)'\\') ? "\\" + t.Atom() : t.Atom();
            if (!t.Ok) return;
            var flag = Parse(name, out var valid);
            if (!valid)
            {
                if (!name.Equals("\\Recent", StringComparison.OrdinalIgnoreCase)) t.Fail($"Unknown system flag {name}");
                return;
            }
            if (flag is { } f) flags |= f;
            else if (!keywords.Contains(name, StringComparer.OrdinalIgnoreCase)) keywords.Add(name);
        }
        if (t.Peek() == '(') t.List(Item);
        else if (allowBare)
        {
            do Item();
            while (t.Ok && t.TryByte((byte)' '));
        }
        else t.Fail("Expected a flag list");
        return (flags, keywords);
    }
}
