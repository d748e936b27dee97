using System.Text;
using Estafeta.Net;
using Estafeta.Smtp.Auth;
using Estafeta.Smtp.Session;

namespace Estafeta.Smtp.Commands;

/// <summary>
/// AUTH (RFC 4954) with PLAIN (RFC 4616) and LOGIN, in submission mode only. Without TLS (unless plaintext
/// logins are allowed) the answer is 538 5.7.11. An address that failed too often is refused with 454
/// before anything is checked; a failed login is answered with 535 5.7.8 only after the throttle's delay.
/// </summary>
internal static class AuthCommand
{
    public static SmtpReply Succeeded { get; } = new(235, "2.7.0", "Authentication successful");
    public static SmtpReply Usage { get; } = new(501, "5.5.4", "Syntax: AUTH mechanism [initial-response]");
    public static SmtpReply AlreadyAuthenticated { get; } = new(503, "5.5.1", "Already authenticated");
    public static SmtpReply UnknownMechanism { get; } = new(504, "5.5.4", "Unrecognized authentication type (PLAIN and LOGIN are offered)");
    public static SmtpReply EncryptionRequired { get; } = new(538, "5.7.11", "Encryption required for requested authentication mechanism");
    public static SmtpReply Blocked { get; } = new(454, "4.7.0", "Too many failed logins from your address, try again later");
    public static SmtpReply Unavailable { get; } = new(454, "4.7.0", "Temporary authentication failure");
    public static SmtpReply Cancelled { get; } = new(501, "5.0.0", "Authentication cancelled");
    public static SmtpReply CannotDecode { get; } = new(501, "5.5.2", "Cannot decode response");
    public static SmtpReply ResponseTooLong { get; } = new(500, "5.5.6", "Authentication exchange line is too long");
    public static SmtpReply InvalidCredentials { get; } = new(535, "5.7.8", "Authentication credentials invalid");

    private static SmtpReply Challenge(string text) => new(334, "", Convert.ToBase64String(Encoding.ASCII.GetBytes(text)));

    public static async ValueTask<SessionStep> ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> argument, CancellationToken ct)
    {
        if (session.Options.Mode == SmtpMode.Mx)
        {
            session.Reply(Replies.NotImplemented);
            return SessionStep.Continue;
        }
        if (session.Principal is not null)
        {
            session.Reply(AlreadyAuthenticated);
            return SessionStep.Continue;
        }
        if (!session.AuthOffered)
        {
            session.Reply(EncryptionRequired);
            return SessionStep.Continue;
        }
        var (mechanism, initial) = Split(argument);
        if (mechanism.Length == 0)
        {
            session.Reply(Usage);
            return SessionStep.Continue;
        }
        var remote = session.Connection.RemoteEndPoint;
        if (session.Throttle.IsBlocked(remote.Address))
        {
            SmtpLog.LoginBlocked(session.Log, session.Id, remote);
            session.Reply(Blocked);
            return SessionStep.Continue;
        }
        var exchange = mechanism switch
        {
            "PLAIN" => await PlainAsync(session, initial, ct).ConfigureAwait(false),
            "LOGIN" => await LoginAsync(session, initial, ct).ConfigureAwait(false),
            _ => Exchange.Fail(UnknownMechanism),
        };
        switch (exchange.Outcome)
        {
            case Outcome.Closed:
                return SessionStep.Close("closed by the client during AUTH");
            case Outcome.Failed:
                session.Reply(exchange.Failure);
                return SessionStep.Continue;
        }

        var credentials = exchange.Credentials;
        SmtpPrincipal? principal = null;
        if (exchange.Outcome == Outcome.Credentials)
        {
            var info = session.Info;
            var (checkedOk, found) = await session.TryAsync("checking a login",
                c => session.Policy.AuthenticateAsync(credentials.Login, credentials.Password, info, c), ct).ConfigureAwait(false);
            if (!checkedOk)
            {
                session.Reply(Unavailable);
                return SessionStep.Continue;
            }
            principal = found;
        }
        if (principal is null)
        {
            var delay = session.Throttle.RecordFailure(remote.Address);
            SmtpLog.LoginFailed(session.Log, session.Id, remote, credentials.Login);
            await Task.Delay(delay, session.Clock, ct).ConfigureAwait(false);
            session.Reply(InvalidCredentials);
            return SessionStep.Continue;
        }
        session.Throttle.RecordSuccess(remote.Address);
        session.Principal = principal;
        SmtpLog.LoggedIn(session.Log, session.Id, remote, principal.Login);
        session.Reply(Succeeded);
        return SessionStep.Continue;
    }

    /// <summary>PLAIN: one message, as the initial response or after an empty challenge, read by the parser IMAP and
    /// POP3 use too (RFC 4616).</summary>
    private static async ValueTask<Exchange> PlainAsync(SmtpSession session, ReadOnlyMemory<byte>? initial, CancellationToken ct)
    {
        var response = await ResponseAsync(session, initial, new SmtpReply(334, "", ""), ct).ConfigureAwait(false);
        if (response.Outcome != Outcome.Credentials) return response;
        var status = SaslPlain.TryParse(response.Data, out var parsed, out _);
        if (parsed is null) return Exchange.Fail(CannotDecode);
        var credentials = new Credentials(parsed.Login, parsed.Password);
        return status == SaslPlainStatus.Ok ? Exchange.Of(credentials) : Exchange.Refused(credentials);
    }

    /// <summary>LOGIN: the user name (possibly as the initial response), then the password.</summary>
    private static async ValueTask<Exchange> LoginAsync(SmtpSession session, ReadOnlyMemory<byte>? initial, CancellationToken ct)
    {
        var user = await ResponseAsync(session, initial, Challenge("Username:"), ct).ConfigureAwait(false);
        if (user.Outcome != Outcome.Credentials) return user;
        if (!SaslText.TryDecode(user.Data, out var login)) return Exchange.Fail(CannotDecode);
        var password = await ResponseAsync(session, null, Challenge("Password:"), ct).ConfigureAwait(false);
        if (password.Outcome != Outcome.Credentials) return password;
        if (!SaslText.TryDecode(password.Data, out var secret)) return Exchange.Fail(CannotDecode);
        return Exchange.Of(new Credentials(login, secret));
    }

    /// <summary>The decoded initial response, or the answer to <paramref name="challenge"/>.</summary>
    private static async ValueTask<Exchange> ResponseAsync(SmtpSession session, ReadOnlyMemory<byte>? initial, SmtpReply challenge, CancellationToken ct)
    {
        ReadOnlyMemory<byte> text;
        if (initial is { } given)
        {
            text = given;
        }
        else
        {
            session.Reply(challenge);
            var line = await session.ReadAuthResponseAsync(ct).ConfigureAwait(false);
            switch (line.Status)
            {
                case LineStatus.Closed:
                    return new Exchange(Outcome.Closed);
                case LineStatus.TooLong:
                    return Exchange.Fail(ResponseTooLong);
            }
            text = line.Bytes;
        }
        var response = SaslResponse.Decode(text.Span);
        return response.Kind switch
        {
            SaslResponseKind.Cancelled => Exchange.Fail(Cancelled),
            SaslResponseKind.BadBase64 => Exchange.Fail(CannotDecode),
            _ => new Exchange(Outcome.Credentials, Data: response.Data),
        };
    }

    private static (string Mechanism, ReadOnlyMemory<byte>? Initial) Split(ReadOnlyMemory<byte> argument)
    {
        var span = argument.Span;
        var space = span.IndexOf((byte)' ');
        var name = space < 0 ? span : span[..space];
        if (name.IsEmpty || name.ContainsAnyExcept(MechanismBytes)) return ("", null);
        var mechanism = Encoding.ASCII.GetString(name).ToUpperInvariant();
        if (space < 0) return (mechanism, null);
        var rest = argument[(space + 1)..];
        return (mechanism, rest.IsEmpty ? null : rest);
    }

    private static readonly System.Buffers.SearchValues<byte> MechanismBytes =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"u8);

    private enum Outcome { Credentials, Refused, Failed, Closed }

    /// <summary>Where an exchange ended: credentials to check, credentials refused without checking
    /// (a failed login all the same), a reply for a broken exchange, or a closed connection.</summary>
    private readonly record struct Exchange(Outcome Outcome, SmtpReply Failure = default, Credentials Credentials = default, byte[]? Data = null)
    {
        public static Exchange Of(Credentials credentials) => new(Outcome.Credentials, Credentials: credentials);
        public static Exchange Refused(Credentials credentials) => new(Outcome.Refused, Credentials: credentials);
        public static Exchange Fail(SmtpReply reply) => new(Outcome.Failed, reply);
    }
}
