using Estafeta.Imap.Grammar;
using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Commands;

/// <summary>CREATE name [(USE (\Sent))] (RFC 9051 §6.3.4, RFC 6154 CREATE-SPECIAL-USE).</summary>
internal static class CreateCommand
{
    private static readonly string[] SpecialUses = ["\\Sent", "\\Drafts", "\\Junk", "\\Trash", "\\Archive"];

    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var name = MailboxArgument.Read(t, context, declaresParent: true);
        string? use = null;
        var unsupportedUse = false;
        if (t.Ok && t.TryByte((byte)' '))
        {
            t.List(() =>
            {
                var parameter = t.Keyword();
                if (parameter != "USE")
                {
                    t.Fail($"Unknown CREATE parameter {parameter}");
                    return;
                }
                t.Sp();
                t.List(() =>
                {
                    t.Expect((byte)'\\', "a special-use attribute");
                    var attribute = "\\" + t.Atom();
                    var known = SpecialUses.FirstOrDefault(u => u.Equals(attribute, StringComparison.OrdinalIgnoreCase));
                    if (known is null || use is not null) unsupportedUse = true;
                    else use = known;
                });
            });
        }
        t.ExpectEnd();
        if (t.Error is { } error) return new(Completion.Bad(error), state);
        if (unsupportedUse) return new(Completion.No("Only one of \\Sent \\Drafts \\Junk \\Trash \\Archive can be given", "USEATTR"), state);
        if (MailboxNames.IsInbox(name)) return new(Completion.No("INBOX already exists", "ALREADYEXISTS"), state);

        var store = Stores.Of(state);
        return await store.CreateMailboxAsync(name, use, ct).ConfigureAwait(false) switch
        {
            StoreOutcome.Ok => new(Completion.Ok("CREATE completed"), state),
            StoreOutcome.AlreadyExists => new(Completion.No("Mailbox already exists", "ALREADYEXISTS"), state),
            StoreOutcome.OverQuota => new(Completion.No("Over quota", "OVERQUOTA"), state),
            _ => new(Completion.No("Cannot create this mailbox", "CANNOT"), state),
        };
    }
}
