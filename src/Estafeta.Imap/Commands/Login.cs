using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>The login workflow shared by LOGIN and AUTHENTICATE PLAIN: throttle, check, take a session
/// place for the account, open the user's store.</summary>
internal static class Login
{
    public static Completion PlaintextRefused { get; } =
        Completion.No("Login is only allowed over TLS: send STARTTLS first, or use the port that starts with TLS (993)", "PRIVACYREQUIRED");

    public static async ValueTask<Outcome> AttemptAsync(SessionContext context, SessionState state, string login, string password, CancellationToken ct)
    {
        var address = context.Remote.Address;
        if (context.Throttle.IsBlocked(address))
        {
            ImapLog.LoginBlocked(context.Log, context.Remote);
            return new(Completion.No("Too many failed logins from your address; try again later", "UNAVAILABLE"), state);
        }

        var principal = await context.Backend.AuthenticateAsync(login, password, ct).ConfigureAwait(false);
        if (principal is null)
        {
            var delay = context.Throttle.RecordFailure(address);
            ImapLog.LoginFailed(context.Log, context.Remote, login, delay);
            await Task.Delay(delay, context.Clock, ct).ConfigureAwait(false);
            return new(Completion.No("Invalid login or password", "AUTHENTICATIONFAILED"), state);
        }
        context.Throttle.RecordSuccess(address);

        if (!context.Services.Sessions.TryEnter(principal.AccountId))
        {
            ImapLog.TooManySessions(context.Log, context.Remote, principal.Login);
            return new(Completion.No("Too many sessions open for this account", "LIMIT"), state);
        }
        try
        {
            var store = await context.Backend.OpenStoreAsync(principal, ct).ConfigureAwait(false);
            ImapLog.LoggedIn(context.Log, context.Remote, principal.Login, principal.AccountId);
            var next = new AuthenticatedState(principal, store);
            return new(Completion.Ok("Logged in", "CAPABILITY " + Capabilities.For(context, next)), next);
        }
        catch
        {
            context.Services.Sessions.Leave(principal.AccountId);
            throw;
        }
    }
}
