namespace Estafeta.Pop3;

/// <summary>The login workflow shared by PASS and AUTH PLAIN.</summary>
internal static class Login
{
    public static Pop3Reply PlaintextRefused { get; } = Pop3Reply.Err(
        "Plaintext login is not allowed on an unencrypted connection; send STLS first, or connect to the POP3 port that starts with TLS (995)",
        ResponseCode.Auth);

    public static async ValueTask<Outcome> AttemptAsync(SessionContext context, string login, string password, CancellationToken ct)
    {
        var address = context.Remote.Address;
        if (context.Throttle.IsBlocked(address))
        {
            Pop3Log.LoginBlocked(context.Log, context.Remote);
            return new(Pop3Reply.Err("Too many failed logins from your address; try again later", ResponseCode.LoginDelay), new AuthorizationState());
        }

        var principal = await context.Backend.AuthenticateAsync(login, password, ct).ConfigureAwait(false);
        if (principal is null)
        {
            var delay = context.Throttle.RecordFailure(address);
            Pop3Log.LoginFailed(context.Log, context.Remote, login, delay);
            await Task.Delay(delay, context.Clock, ct).ConfigureAwait(false);
            return new(Pop3Reply.Err("Invalid login", ResponseCode.Auth), new AuthorizationState());
        }
        context.Throttle.RecordSuccess(address);

        var maildrop = await context.Backend.OpenMaildropAsync(principal, ct).ConfigureAwait(false);
        if (maildrop is null)
        {
            Pop3Log.MaildropInUse(context.Log, context.Remote, principal.Login);
            return new(Pop3Reply.Err("Maildrop is in use by another session", ResponseCode.InUse), new AuthorizationState());
        }

        var state = new TransactionState(principal, maildrop);
        var (count, octets) = state.Totals();
        Pop3Log.LoggedIn(context.Log, context.Remote, principal.Login, principal.AccountId, count);
        return new(Pop3Reply.Ok("Logged in, " + Pop3Reply.Size(count, octets)), state);
    }
}
