using System.Globalization;
using Estafeta.Smtp.Grammar;
using Estafeta.Smtp.Session;

namespace Estafeta.Smtp.Commands;

/// <summary>
/// EHLO (RFC 5321 §4.1.1.1): ends any mail transaction and lists the extensions. STARTTLS is listed
/// while a certificate exists and the connection is plain; AUTH only in submission mode, and there
/// only over TLS unless plaintext logins are allowed. CHUNKING is not offered.
/// </summary>
internal static class EhloCommand
{
    public static SmtpReply Usage { get; } = new(501, "5.5.4", "Syntax: EHLO hostname");

    public static ValueTask<SessionStep> ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> argument, CancellationToken ct)
    {
        if (!HeloName.TryParse(argument.Span, out var name))
        {
            session.Reply(Usage);
            return ValueTask.FromResult(SessionStep.Continue);
        }
        session.State = new Greeted(new Helo(name, Esmtp: true));
        session.Reply(new SmtpReply(250, "", string.Join('\n', Keywords(session))));
        return ValueTask.FromResult(SessionStep.Continue);
    }

    /// <summary>The first line is our name; then one extension per line.</summary>
    public static IEnumerable<string> Keywords(SmtpSession session)
    {
        yield return session.Options.HostName;
        yield return "PIPELINING";
        yield return "SIZE " + session.Options.MaxMessageSize.ToString(CultureInfo.InvariantCulture);
        yield return "8BITMIME";
        yield return "SMTPUTF8";
        yield return "ENHANCEDSTATUSCODES";
        yield return "DSN";
        if (session.StartTlsOffered) yield return "STARTTLS";
        if (session.AuthOffered) yield return "AUTH PLAIN LOGIN";
    }
}
