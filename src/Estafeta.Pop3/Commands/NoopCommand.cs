namespace Estafeta.Pop3.Commands;

/// <summary>NOOP (RFC 1939 §5).</summary>
internal static class NoopCommand
{
    public static Outcome Execute(TransactionState state, Pop3Command command) =>
        command.Arguments.Length != 0
            ? new(Pop3Reply.Err("Syntax: NOOP"), state)
            : new(Pop3Reply.Ok(""), state);
}
