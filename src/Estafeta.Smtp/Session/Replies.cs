using System.Globalization;

namespace Estafeta.Smtp.Session;

/// <summary>The replies the engine itself gives, apart from those owned by one command.</summary>
internal static class Replies
{
    public static SmtpReply Greeting(string host) => new(220, "", $"{host} ESMTP");
    public static SmtpReply ShuttingDown(string host) => new(421, "4.3.2", $"{host} Service shutting down, closing connection");
    public static SmtpReply IdleTimeout(string host) => new(421, "4.4.2", $"{host} Idle timeout, closing connection");
    public static SmtpReply Timeout(string host) => new(421, "4.4.2", $"{host} Timeout, closing connection");
    public static SmtpReply TooManyErrors(string host) => new(421, "4.7.0", $"{host} Too many errors, closing connection");
    public static SmtpReply TooManyCommands(string host) => new(421, "4.7.0", $"{host} Too many commands, closing connection");

    public static SmtpReply LineTooLong { get; } = new(500, "5.5.2", "Line too long");
    public static SmtpReply Unrecognized { get; } = new(500, "5.5.2", "Command unrecognized");
    public static SmtpReply NotImplemented { get; } = new(502, "5.5.1", "Command not implemented");

    /// <summary>552 5.3.4 (RFC 1870): for a SIZE over the limit at MAIL, and for a body that turned out larger.</summary>
    public static SmtpReply MessageTooLarge(long limit) =>
        new(552, "5.3.4", string.Create(CultureInfo.InvariantCulture, $"Message size exceeds fixed maximum message size of {limit} bytes"));

    public static SmtpReply NoArguments(string verb) => new(501, "5.5.4", $"Syntax: {verb} takes no arguments");

    /// <summary>Replies that count towards <see cref="SmtpServerOptions.MaxErrors"/>: the client's own
    /// mistakes (syntax, sequence, unknown commands, missing or failed login), not refused recipients.</summary>
    public static bool IsClientError(int code) => code is >= 500 and <= 504 or 530 or 535 or 538 or 555;
}
