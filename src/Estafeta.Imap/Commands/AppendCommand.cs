using Estafeta.Imap.Grammar;
using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Commands;

/// <summary>
/// APPEND name [flags] [date-time] literal (RFC 9051 §6.3.12), also with a binary literal ~{n} (RFC 3516) and as
/// UTF8 (literal) (RFC 6855). Answers APPENDUID (RFC 4315); TRYCREATE when the mailbox does not exist.
/// </summary>
internal static class AppendCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var name = MailboxArgument.Read(t, context);
        t.Sp();
        var flags = MessageFlags.None;
        List<string> keywords = [];
        DateTimeOffset? date = null;
        if (t.Peek() == '(')
        {
            (flags, keywords) = FlagText.ReadList(t, allowBare: false);
            t.Sp();
        }
        if (t.Peek() == '"')
        {
            date = ImapDate.ReadDateTime(t);
            t.Sp();
        }
        Literal? literal;
        if (t.TryWord("UTF8"))
        {
            t.Sp();
            t.Expect((byte)'(', "'('");
            literal = t.Literal();
            t.Expect((byte)')', "')'");
        }
        else literal = t.Literal();
        t.ExpectEnd();
        if (t.Error is { } error || literal is null) return new(Completion.Bad(t.Error ?? "Expected a literal"), state);
        if (literal.Length == 0) return new(Completion.No("An empty message cannot be saved"), state);

        await using var content = literal.OpenRead();
        var result = await Stores.Of(state).AppendAsync(name, content, literal.Length, flags, keywords, date, ct).ConfigureAwait(false);
        return result.Outcome switch
        {
            StoreOutcome.Ok => new(Completion.Ok("APPEND completed", $"APPENDUID {result.UidValidity} {result.Uid}"), state),
            StoreOutcome.NoSuchMailbox => new(Completion.No("Mailbox does not exist", "TRYCREATE"), state),
            StoreOutcome.OverQuota => new(Completion.No("Over quota", "OVERQUOTA"), state),
            _ => new(Completion.No("Cannot append to this mailbox", "CANNOT"), state),
        };
    }
}
