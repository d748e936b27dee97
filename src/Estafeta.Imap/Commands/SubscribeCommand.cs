using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;
using Estafeta.Imap.Store;

namespace Estafeta.Imap.Commands;

/// <summary>SUBSCRIBE and UNSUBSCRIBE (RFC 9051 §6.3.7-8).</summary>
internal static class SubscribeCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var name = MailboxArgument.Read(t, context);
        t.ExpectEnd();
        if (t.Error is { } error) return new(Completion.Bad(error), state);
        var subscribe = command.Name == "SUBSCRIBE";
        return await Stores.Of(state).SetSubscribedAsync(name, subscribe, ct).ConfigureAwait(false) switch
        {
            StoreOutcome.Ok => new(Completion.Ok(command.Name + " completed"), state),
            StoreOutcome.NoSuchMailbox => new(Completion.No("Mailbox does not exist", "NONEXISTENT"), state),
            _ => new(Completion.No($"Cannot {command.Name.ToLowerInvariant()} this mailbox", "CANNOT"), state),
        };
    }
}
