using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>GETQUOTAROOT mailbox (RFC 9208 §4.3): every mailbox is under the root "" when the user has a limit.</summary>
internal static class GetQuotaRootCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var name = MailboxArgument.Read(t, context);
        t.ExpectEnd();
        if (t.Error is { } error) return new(Completion.Bad(error), state);
        var store = Stores.Of(state);
        if (await store.GetStatusAsync(name, ct).ConfigureAwait(false) is null)
            return new(Completion.No("Mailbox does not exist", "NONEXISTENT"), state);
        var usage = await store.GetQuotaAsync(ct).ConfigureAwait(false);
        context.Writer.Raw("* QUOTAROOT ").String(context.MailboxToWire(name));
        if (usage.LimitBytes is null)
        {
            context.Writer.Crlf();
        }
        else
        {
            context.Writer.Raw(" \"\"\r\n");
            Quota.WriteQuota(context, usage);
        }
        return new(Completion.Ok("GETQUOTAROOT completed"), state);
    }
}
