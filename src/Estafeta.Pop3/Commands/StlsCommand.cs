namespace Estafeta.Pop3.Commands;

/// <summary>STLS (RFC 2595 §4). After the handshake the session starts over in the AUTHORIZATION
/// state; anything the client sent before the handshake is dropped by the connection.</summary>
internal static class StlsCommand
{
    public static Outcome Execute(SessionContext context, AuthorizationState state, Pop3Command command)
    {
        if (command.Arguments.Length != 0) return new(Pop3Reply.Err("Syntax: STLS"), state);
        if (context.IsSecure) return new(Pop3Reply.Err("Already using TLS"), state);
        if (!context.CanStartTls) return new(Pop3Reply.Err("STLS is not available"), state);
        return new(Pop3Reply.Ok("Begin TLS negotiation"), new AuthorizationState(), SessionAction.UpgradeTls);
    }
}
