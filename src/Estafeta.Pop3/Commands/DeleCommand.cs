using static System.FormattableString;

namespace Estafeta.Pop3.Commands;

/// <summary>DELE msg (RFC 1939 §5): marks a message; it is removed only at QUIT.</summary>
internal static class DeleCommand
{
    public static Outcome Execute(TransactionState state, Pop3Command command)
    {
        if (command.Arguments is not [var argument]) return new(Pop3Reply.Err("Syntax: DELE msg"), state);
        if (!state.TryFind(argument, out var number, out _, out var error)) return new(error, state);
        return new(Pop3Reply.Ok(Invariant($"Message {number} deleted")), state with { Deleted = state.Deleted.Add(number) });
    }
}
