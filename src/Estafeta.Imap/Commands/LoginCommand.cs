using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>LOGIN user password (RFC 9051 §6.2.3); refused without TLS unless plaintext logins are allowed.</summary>
internal static class LoginCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var user = t.AString();
        t.Sp();
        var password = t.AString();
        t.ExpectEnd();
        if (t.Error is { } error) return new(Completion.Bad(error), state);
        if (!context.PlaintextAuthAllowed) return new(Login.PlaintextRefused, state);
        return await Login.AttemptAsync(context, state, user, password, ct).ConfigureAwait(false);
    }
}
