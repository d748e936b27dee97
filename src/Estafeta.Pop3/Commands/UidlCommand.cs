using static System.FormattableString;

namespace Estafeta.Pop3.Commands;

/// <summary>UIDL [msg] (RFC 1939 §7): the unique ids, messages marked as deleted left out.</summary>
internal static class UidlCommand
{
    public static Outcome Execute(TransactionState state, Pop3Command command)
    {
        switch (command.Arguments)
        {
            case []:
                var lines = state.Remaining().Select(m => Invariant($"{m.Number} {m.Message.UniqueId}")).ToList();
                return new(Pop3Reply.Ok("Unique-ID listing follows", lines), state);
            case [var argument]:
                if (!state.TryFind(argument, out var number, out var message, out var error)) return new(error, state);
                return new(Pop3Reply.Ok(Invariant($"{number} {message.UniqueId}")), state);
            default:
                return new(Pop3Reply.Err("Syntax: UIDL [msg]"), state);
        }
    }
}
