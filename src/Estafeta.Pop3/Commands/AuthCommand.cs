using Estafeta.Net;

namespace Estafeta.Pop3.Commands;

/// <summary>
/// AUTH mechanism [initial-response] (RFC 5034) with the PLAIN mechanism. Without an initial response
/// the server sends the empty challenge "+ " and the next line is the response, or "*" to cancel.
/// AUTH alone lists the mechanisms, as clients of the older RFC 1734 expect.
/// </summary>
internal static class AuthCommand
{
    public const string Plain = "PLAIN";

    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, AuthorizationState state, Pop3Command command, CancellationToken ct)
    {
        var arguments = command.Arguments;
        if (arguments.Length == 0)
            return new(Pop3Reply.Ok("Supported mechanisms follow", context.PlaintextAuthAllowed ? [Plain] : []), new AuthorizationState());
        if (arguments.Length > 2) return new(Pop3Reply.Err("Syntax: AUTH mechanism [initial-response]"), new AuthorizationState());
        if (!arguments[0].Equals(Plain, StringComparison.OrdinalIgnoreCase))
            return new(Pop3Reply.Err("Unsupported SASL mechanism"), new AuthorizationState());
        if (!context.PlaintextAuthAllowed) return new(Login.PlaintextRefused, new AuthorizationState());
        if (arguments.Length == 1) return new(Pop3Reply.EmptyChallenge, new AuthorizationState(AwaitingPlainResponse: true));
        return await CompleteAsync(context, arguments[1], ct).ConfigureAwait(false);
    }

    /// <summary>The client's response to the empty challenge.</summary>
    public static async ValueTask<Outcome> ContinueAsync(SessionContext context, string response, CancellationToken ct)
    {
        if (response == "*") return new(Pop3Reply.Err("Authentication cancelled"), new AuthorizationState());
        return await CompleteAsync(context, response, ct).ConfigureAwait(false);
    }

    private static async ValueTask<Outcome> CompleteAsync(SessionContext context, string encoded, CancellationToken ct)
    {
        if (!SaslPlain.TryDecode(encoded, out var credentials, out var error))
            return new(Pop3Reply.Err(error), new AuthorizationState());
        return await Login.AttemptAsync(context, credentials.Login, credentials.Password, ct).ConfigureAwait(false);
    }
}
