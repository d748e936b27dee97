using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>STARTTLS (RFC 9051 §6.2.1). The connection drops whatever the client sent after the command and
/// before the handshake; the client must ask for CAPABILITY again.</summary>
internal static class StartTlsCommand
{
    public static ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        command.Args.ExpectEnd();
        if (command.Args.Error is { } error) return new(new Outcome(Completion.Bad(error), state));
        if (context.IsSecure) return new(new Outcome(Completion.Bad("TLS is already active"), state));
        if (!context.CanStartTls) return new(new Outcome(Completion.Bad("STARTTLS is not available"), state));
        return new(new Outcome(Completion.Ok("Begin TLS negotiation now"), state, SessionAction.UpgradeTls));
    }
}
