using Estafeta.Smtp.Grammar;
using Estafeta.Smtp.Session;

namespace Estafeta.Smtp.Commands;

/// <summary>HELO (RFC 5321 §4.1.1.1): plain SMTP, no extensions. Like EHLO it ends any mail transaction.</summary>
internal static class HeloCommand
{
    public static SmtpReply Usage { get; } = new(501, "5.5.4", "Syntax: HELO hostname");

    public static ValueTask<SessionStep> ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> argument, CancellationToken ct)
    {
        if (!HeloName.TryParse(argument.Span, out var name))
        {
            session.Reply(Usage);
            return ValueTask.FromResult(SessionStep.Continue);
        }
        session.State = new Greeted(new Helo(name, Esmtp: false));
        session.Reply(new SmtpReply(250, "", session.Options.HostName));
        return ValueTask.FromResult(SessionStep.Continue);
    }
}
