using System.Text;
using Estafeta.Imap.Tests.Support;
using Estafeta.Testing;

namespace Estafeta.Imap.Tests.Fuzz;

/// <summary>A command without its tag, as lines of text each followed by the literal it announces (none after the
/// last line).</summary>
internal sealed record FuzzCommand(IReadOnlyList<(string Text, FuzzLiteral? Literal)> Lines)
{
    /// <summary>The octets after "tag ": each line, its literal marker, CRLF and the literal's octets.</summary>
    public byte[] ToWire()
    {
        var wire = new List<byte>();
        foreach (var (text, literal) in Lines)
        {
            wire.AddRange(Encoding.UTF8.GetBytes(text));
            if (literal is not null)
                wire.AddRange(Encoding.ASCII.GetBytes(literal.Marker()));
            wire.AddRange("\r\n"u8);
            if (literal is not null) wire.AddRange(literal.Bytes);
        }
        return [.. wire];
    }

    public override string ToString() => Fuzzing.Show(Encoding.Latin1.GetString(ToWire()));
}

/// <summary>A literal: its octets, whether the client waits for a continuation request before sending them ({n} or
/// {n+}), and whether it is binary (~{n}).</summary>
internal sealed record FuzzLiteral(byte[] Bytes, bool Synchronizing, bool Binary = false)
{
    public string Marker() => (Binary ? "~" : "") + "{" + Bytes.Length + (Synchronizing ? "}" : "+}");
}

/// <summary>Real commands as clients send them, in every state, and the pieces mutations insert: IMAP specials,
/// literal markers, numbers at the edges of their types, modified UTF-7 and awkward dates.</summary>
internal static class FuzzCommands
{
    public static FuzzLiteral Sync(string text) => new(Encoding.UTF8.GetBytes(text), true);

    public static FuzzLiteral Plus(string text) => new(Encoding.UTF8.GetBytes(text), false);

    /// <summary>A command of text pieces and literals: a literal ends a line.</summary>
    public static FuzzCommand Of(params object[] pieces)
    {
        var lines = new List<(string, FuzzLiteral?)>();
        var text = new StringBuilder();
        foreach (var piece in pieces)
        {
            if (piece is FuzzLiteral literal)
            {
                lines.Add((text.ToString(), literal));
                text.Clear();
            }
            else text.Append((string)piece);
        }
        lines.Add((text.ToString(), null));
        return new FuzzCommand(lines);
    }

    private static readonly string Message = Messages.Simple("Lunch", body: "Shall we try the new place?");

    public static readonly FuzzCommand[] NotAuthenticated =
    [
        Of("CAPABILITY"),
        Of("NOOP"),
        Of("LOGIN alice secret"),
        Of("LOGIN \"alice\" \"secret\""),
        Of("LOGIN ", Sync("alice"), " ", Plus("secret")),
        Of("AUTHENTICATE PLAIN AGFsaWNlAHNlY3JldA=="),
        Of("ID (\"name\" \"Thunderbird\" \"version\" \"128.0\")"),
        Of("ID NIL"),
        Of("LOGOUT"),
    ];

    public static readonly FuzzCommand[] Authenticated =
    [
        Of("SELECT INBOX"),
        Of("SELECT INBOX (CONDSTORE)"),
        Of("EXAMINE \"INBOX\""),
        Of("SELECT INBOX (QRESYNC (67890007 20050715194045000 41,43:211,214:541))"),
        Of("CREATE Projects/2024"),
        Of("CREATE \"&AMk-t&AOk-/\" (USE (\\Archive))"),
        Of("DELETE Projects/2024"),
        Of("RENAME Archive \"Old Archive\""),
        Of("RENAME ", Sync("Archive"), " ", Plus("Summer")),
        Of("SUBSCRIBE Archive"),
        Of("UNSUBSCRIBE Archive"),
        Of("LIST \"\" *"),
        Of("LIST \"\" %"),
        Of("LIST \"\" INBOX/%"),
        Of("LIST (SUBSCRIBED RECURSIVEMATCH) \"\" (\"*\" %) RETURN (CHILDREN SPECIAL-USE STATUS (MESSAGES UNSEEN SIZE))"),
        Of("LSUB \"\" *"),
        Of("STATUS INBOX (MESSAGES UIDNEXT UIDVALIDITY UNSEEN DELETED SIZE HIGHESTMODSEQ)"),
        Of("STATUS \"Archive\" (MESSAGES)"),
        Of("APPEND INBOX ", Sync(Message)),
        Of("APPEND Archive (\\Seen $Forwarded) \"05-Jan-2024 10:00:00 +0000\" ", Plus(Message)),
        Of("APPEND INBOX UTF8 (", new FuzzLiteral(Encoding.UTF8.GetBytes(Message), false, Binary: true), ")"),
        Of("ENABLE UTF8=ACCEPT CONDSTORE QRESYNC"),
        Of("ENABLE IMAP4rev2"),
        Of("NAMESPACE"),
        Of("GETQUOTAROOT INBOX"),
        Of("GETQUOTA \"\""),
        Of("IDLE"),
        Of("NOOP"),
        Of("CAPABILITY"),
    ];

    public static readonly FuzzCommand[] Selected =
    [
        Of("FETCH 1 (FLAGS UID)"),
        Of("FETCH 1:* ALL"),
        Of("FETCH 1:* FAST"),
        Of("FETCH 2,3 FULL"),
        Of("FETCH 1 (BODY.PEEK[HEADER.FIELDS (FROM TO SUBJECT)]<0.100> BODYSTRUCTURE ENVELOPE)"),
        Of("FETCH 1:2 (BODY[1.MIME] BODY[TEXT]<5.10> RFC822.SIZE INTERNALDATE)"),
        Of("FETCH * (BINARY.PEEK[1] BINARY.SIZE[1] BODY[1.2.HEADER.FIELDS.NOT (X-MAILER)])"),
        Of("FETCH 1 (RFC822 RFC822.HEADER RFC822.TEXT)"),
        Of("UID FETCH 1:*,7 (FLAGS BODY.PEEK[]<0.2048>) (CHANGEDSINCE 1)"),
        Of("STORE 1 +FLAGS.SILENT (\\Seen)"),
        Of("STORE 1:2 -FLAGS (\\Flagged $Label1)"),
        Of("UID STORE 1:3 (UNCHANGEDSINCE 9) FLAGS (\\Deleted)"),
        Of("COPY 1:2 Archive"),
        Of("UID COPY 1 ", Sync("Archive")),
        Of("MOVE 2 Archive"),
        Of("UID MOVE 3:* \"Archive\""),
        Of("SEARCH ALL"),
        Of("SEARCH CHARSET UTF-8 OR (FROM \"bob\" SINCE 1-Feb-2024) NOT SUBJECT ", Sync("mañana")),
        Of("SEARCH NOT (OR SEEN (DELETED FLAGGED)) LARGER 10 SMALLER 100000"),
        Of("SEARCH RETURN (MIN MAX COUNT) UNSEEN"),
        Of("SEARCH RETURN (SAVE) 1:2"),
        Of("FETCH $ (UID)"),
        Of("UID SEARCH UID 1:* HEADER Message-ID \"<x@example.org>\" SENTBEFORE \"1-Jan-2030\""),
        Of("SEARCH OR OR ANSWERED DRAFT OR KEYWORD $Label1 UNKEYWORD $Junk BODY \"place\" TEXT Hello ON 5-Jan-2024"),
        Of("SEARCH OLDER 3600 YOUNGER 1 MODSEQ 1 BCC nobody CC x TO alice"),
        Of("SORT (REVERSE DATE SUBJECT) UTF-8 ALL"),
        Of("UID SORT (ARRIVAL FROM SIZE) US-ASCII SEEN"),
        Of("EXPUNGE"),
        Of("UID EXPUNGE 3:5"),
        Of("CHECK"),
        Of("UNSELECT"),
        Of("CLOSE"),
        Of("IDLE"),
        Of("NOOP"),
    ];

    public static readonly FuzzCommand[] All = [.. NotAuthenticated, .. Authenticated, .. Selected];

    public static readonly string[] Tokens =
    [
        " ", "(", ")", "[", "]", "<", ">", ".", "*", "%", ":", ",", "$", "\"", "\\", "{", "}", "~", "+", "-", "/", "&",
        "{0}", "{5}", "{7+}", "~{3}", "{99999999999}", "{9223372036854775807}", "{18446744073709551616+}",
        "0", "1", "4294967295", "4294967296", "9223372036854775807", "99999999999999999999", "1:*", "*:1", "1,2:3",
        "NIL", "UID ", "OR ", "NOT ", "ALL", "CHARSET ", "UTF-8", "BODY[", "BODY.PEEK[", "BINARY[", "HEADER.FIELDS (",
        "HEADER", "TEXT", "MIME", "<0.1>", "<4294967296.1>", "1.2.3", "+FLAGS", "-FLAGS.SILENT", "\\Seen", "\\Recent",
        "INBOX", "inbox/", "&-", "&AOk-", "&2AA-", "&2D3eAA-", "&AOk", "&Jjo!-", "\"\"", "\"\\\"\"", "\r", "\0",
        "31-Dec-9999", "1-Jan-0001", "29-Feb-2023", " 1-Jan-2024 00:00:00 +1400", "\"01-Jan-0001 00:00:00 +1400\"",
        "\"31-Dec-9999 23:59:59 -1459\"", "+1459", "-0000", "LOGIN", "SELECT", "FETCH", "SEARCH", "LOGOUT", "IDLE",
        "STORE", "APPEND", "LIST", "STATUS", "(MESSAGES)", "RETURN (", "SAVE", "CONDSTORE", "QRESYNC", "UTF8 (",
        "\u00e9", "\ud83d\ude00",
    ];

    /// <summary>A command with its lines mutated, its literals mutated or kept, and sometimes a literal turned from
    /// synchronizing to non-synchronizing or back; a line never gains an LF (that would make two commands).</summary>
    public static FuzzCommand Mutate(Random random, FuzzCommand command)
    {
        var lines = new List<(string, FuzzLiteral?)>();
        foreach (var (text, literal) in command.Lines)
        {
            var line = random.Chance(0.6) ? random.Mutate(text, Tokens) : text;
            var mutated = literal;
            if (literal is not null && random.Chance(0.3))
                mutated = literal with { Bytes = random.Mutate(literal.Bytes) };
            if (mutated is not null && random.Chance(0.1)) mutated = mutated with { Synchronizing = !mutated.Synchronizing };
            lines.Add((line.Replace("\n", "", StringComparison.Ordinal), mutated));
        }
        return new FuzzCommand(lines);
    }
}
