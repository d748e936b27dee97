namespace Estafeta.Smtp;

/// <summary>Who may log in, send and receive. The engine asks; the mail engine answers. Return
/// values are replies: a 2xx accepts, anything else is sent to the client as it is.</summary>
public interface ISmtpPolicy
{
    /// <summary>Checks a login and password (AUTH PLAIN or LOGIN); null when they are wrong.</summary>
    ValueTask<SmtpPrincipal?> AuthenticateAsync(string login, string password, SmtpSessionInfo session, CancellationToken ct);

    /// <summary>Answers MAIL FROM: 250, or e.g. 553 5.7.1 for a sender the login does not own.</summary>
    ValueTask<SmtpReply> CheckSenderAsync(SmtpSessionInfo session, ReversePath from, CancellationToken ct);

    /// <summary>Answers RCPT TO: 250, or e.g. 550 5.1.1 unknown user, 550 5.7.1 relaying denied, 452 4.2.2 mailbox full.</summary>
    ValueTask<SmtpReply> CheckRecipientAsync(SmtpSessionInfo session, ReversePath from, ForwardPath to, CancellationToken ct);
}
