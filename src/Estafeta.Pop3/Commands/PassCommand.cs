namespace Estafeta.Pop3.Commands;

/// <summary>PASS password (RFC 1939 §7). The whole rest of the line is the password, spaces included,
/// as RFC 1939 allows.</summary>
internal static class PassCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, AuthorizationState state, Pop3Command command, CancellationToken ct)
    {
        if (!context.PlaintextAuthAllowed) return new(Login.PlaintextRefused, new AuthorizationState());
        if (state.PendingUser is not { } user) return new(Pop3Reply.Err("Send USER first"), state);
        if (command.Argument.Length == 0) return new(Pop3Reply.Err("Syntax: PASS password"), new AuthorizationState());
        return await Login.AttemptAsync(context, user, command.Argument, ct).ConfigureAwait(false);
    }
}
