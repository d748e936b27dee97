namespace Estafeta.Pop3.Commands;

/// <summary>USER name (RFC 1939 §7). The name is kept for PASS; whether it exists is not revealed.</summary>
internal static class UserCommand
{
    public static Outcome Execute(SessionContext context, AuthorizationState state, Pop3Command command)
    {
        if (!context.PlaintextAuthAllowed) return new(Login.PlaintextRefused, new AuthorizationState());
        if (command.Arguments.Length != 1) return new(Pop3Reply.Err("Syntax: USER name"), new AuthorizationState());
        return new(Pop3Reply.Ok("Send PASS"), new AuthorizationState(PendingUser: command.Arguments[0]));
    }
}
