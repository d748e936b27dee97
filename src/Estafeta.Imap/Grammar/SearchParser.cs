using System.Text;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Grammar;

/// <summary>The search program of SEARCH and SORT (RFC 9051 §6.4.4, RFC 7162 MODSEQ, RFC 5032 OLDER/YOUNGER).</summary>
internal static class SearchParser
{
    /// <summary>Reads keys to the end of the command (they are ANDed).</summary>
    public static SearchKey ReadProgram(Tokenizer t)
    {
        var keys = new List<SearchKey>();
        do keys.Add(ReadKey(t));
        while (t.Ok && t.TryByte((byte)' '));
        return keys.Count == 1 ? keys[0] : new AndKey(keys);
    }

    /// <summary>Reads "CHARSET name" when present; false when the charset is not UTF-8 or US-ASCII.</summary>
    public static bool ReadCharset(Tokenizer t)
    {
        if (!t.TryWord("CHARSET")) return true;
        t.Sp();
        var charset = Encoding.ASCII.GetString(t.AStringBytes()).ToUpperInvariant();
        t.Sp();
        return charset is "UTF-8" or "US-ASCII" or "UTF8";
    }

    private static SearchKey ReadKey(Tokenizer t)
    {
        if (!t.Ok) return new AllKey();
        if (t.Peek() == '(')
        {
            t.TryByte((byte)'(');
            if (!t.Enter()) return new AllKey();
            var keys = new List<SearchKey>();
            do keys.Add(ReadKey(t));
            while (t.Ok && t.TryByte((byte)' '));
            t.Expect((byte)')', "')'");
            t.Leave();
            return keys.Count == 1 ? keys[0] : new AndKey(keys);
        }
        if (t.AtSequenceSet()) return new SequenceKey(t.SequenceSet(), Uid: false);

        var name = t.Keyword();
        switch (name)
        {
            case "ALL": return new AllKey();
            case "ANSWERED": return new FlagKey(MessageFlags.Answered, true);
            case "DELETED": return new FlagKey(MessageFlags.Deleted, true);
            case "DRAFT": return new FlagKey(MessageFlags.Draft, true);
            case "FLAGGED": return new FlagKey(MessageFlags.Flagged, true);
            case "SEEN": return new FlagKey(MessageFlags.Seen, true);
            case "UNANSWERED": return new FlagKey(MessageFlags.Answered, false);
            case "UNDELETED": return new FlagKey(MessageFlags.Deleted, false);
            case "UNDRAFT": return new FlagKey(MessageFlags.Draft, false);
            case "UNFLAGGED": return new FlagKey(MessageFlags.Flagged, false);
            case "UNSEEN": return new FlagKey(MessageFlags.Seen, false);
            case "NEW": return new AndKey([new RecentKey(), new FlagKey(MessageFlags.Seen, false)]);
            case "OLD": return new NotKey(new RecentKey());
            case "RECENT": return new RecentKey();
            case "KEYWORD": t.Sp(); return new KeywordKey(t.Atom(), true);
            case "UNKEYWORD": t.Sp(); return new KeywordKey(t.Atom(), false);
            case "BEFORE": t.Sp(); return new DateKey(DateComparison.Before, ImapDate.ReadDate(t), false);
            case "ON": t.Sp(); return new DateKey(DateComparison.On, ImapDate.ReadDate(t), false);
            case "SINCE": t.Sp(); return new DateKey(DateComparison.Since, ImapDate.ReadDate(t), false);
            case "SENTBEFORE": t.Sp(); return new DateKey(DateComparison.Before, ImapDate.ReadDate(t), true);
            case "SENTON": t.Sp(); return new DateKey(DateComparison.On, ImapDate.ReadDate(t), true);
            case "SENTSINCE": t.Sp(); return new DateKey(DateComparison.Since, ImapDate.ReadDate(t), true);
            case "OLDER": t.Sp(); return new AgeKey(t.Number(nonZero: true), true);
            case "YOUNGER": t.Sp(); return new AgeKey(t.Number(nonZero: true), false);
            case "LARGER": t.Sp(); return new SizeKey(t.Number(), true);
            case "SMALLER": t.Sp(); return new SizeKey(t.Number(), false);
            case "FROM" or "TO" or "CC" or "BCC" or "SUBJECT":
                t.Sp();
                return new HeaderKey(name, t.AString());
            case "HEADER":
            {
                t.Sp();
                var field = t.AString();
                t.Sp();
                return new HeaderKey(field, t.AString());
            }
            case "BODY": t.Sp(); return new TextKey(t.AString(), false);
            case "TEXT": t.Sp(); return new TextKey(t.AString(), true);
            case "UID": t.Sp(); return new SequenceKey(t.SequenceSet(), Uid: true);
            // NOT and OR nest keys as parentheses do, and count toward the same depth: the search is evaluated by walking
            // the keys, and "NOT NOT NOT ..." thousands deep in one line exhausted the stack and stopped the whole server.
            case "NOT":
            {
                t.Sp();
                if (!t.Enter("Search keys")) return new AllKey();
                var negated = ReadKey(t);
                t.Leave();
                return new NotKey(negated);
            }
            case "OR":
            {
                t.Sp();
                if (!t.Enter("Search keys")) return new AllKey();
                var left = ReadKey(t);
                t.Sp();
                var right = ReadKey(t);
                t.Leave();
                return new OrKey(left, right);
            }
            case "MODSEQ":
            {
                t.Sp();
                if (t.Peek() == '"')
                {
                    t.StringBytes();
                    t.Sp();
                    t.Atom();
                    t.Sp();
                }
                return new ModSeqKey(t.Number());
            }
            default:
                t.Fail($"Unknown search key {name}");
                return new AllKey();
        }
    }
}
