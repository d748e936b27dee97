using static System.FormattableString;

namespace Estafeta.Pop3.Commands;

/// <summary>LIST [msg] (RFC 1939 §5): sizes in stored octets, messages marked as deleted left out.</summary>
internal static class ListCommand
{
    public static Outcome Execute(TransactionState state, Pop3Command command)
    {
        switch (command.Arguments)
        {
            case []:
                var (count, octets) = state.Totals();
                var lines = state.Remaining().Select(m => Invariant($"{m.Number} {m.Message.Size}")).ToList();
                return new(Pop3Reply.Ok(Pop3Reply.Size(count, octets), lines), state);
            case [var argument]:
                if (!state.TryFind(argument, out var number, out var message, out var error)) return new(error, state);
                return new(Pop3Reply.Ok(Invariant($"{number} {message.Size}")), state);
            default:
                return new(Pop3Reply.Err("Syntax: LIST [msg]"), state);
        }
    }
}
