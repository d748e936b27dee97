namespace Estafeta.Pop3.Commands;

/// <summary>CAPA (RFC 2449 §5): the same list in both states, as the RFC requires for what
/// AUTHORIZATION offers; the login and STLS lines depend on the connection.</summary>
internal static class CapaCommand
{
    public static Outcome Execute(SessionContext context, SessionState state, Pop3Command command)
    {
        if (command.Arguments.Length != 0) return new(Pop3Reply.Err("Syntax: CAPA"), state);
        return new(Pop3Reply.Ok("Capability list follows", Capabilities(context)), state);
    }

    public static IReadOnlyList<string> Capabilities(SessionContext context)
    {
        var lines = new List<string> { "TOP", "UIDL", "RESP-CODES", "AUTH-RESP-CODE", "PIPELINING", "EXPIRE NEVER" };
        if (context.PlaintextAuthAllowed)
        {
            lines.Add("USER");
            lines.Add("SASL PLAIN");
        }
        if (context.CanStartTls) lines.Add("STLS");
        lines.Add("IMPLEMENTATION Estafeta");
        return lines;
    }
}
