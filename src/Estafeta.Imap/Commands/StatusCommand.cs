using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>STATUS name (items) (RFC 9051 §6.3.11).</summary>
internal static class StatusCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var name = MailboxArgument.Read(t, context);
        t.Sp();
        var items = StatusItems.Read(t);
        t.ExpectEnd();
        if (t.Error is { } error) return new(Completion.Bad(error), state);

        var status = await Stores.Of(state).GetStatusAsync(name, ct).ConfigureAwait(false);
        if (status is null) return new(Completion.No("Mailbox does not exist", "NONEXISTENT"), state);
        StatusItems.Write(context, name, status, items);
        return new(Completion.Ok("STATUS completed"), state);
    }
}
