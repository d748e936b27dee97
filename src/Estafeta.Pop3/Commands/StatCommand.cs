using static System.FormattableString;

namespace Estafeta.Pop3.Commands;

/// <summary>STAT (RFC 1939 §5): "+OK count octets", messages marked as deleted left out.</summary>
internal static class StatCommand
{
    public static Outcome Execute(TransactionState state, Pop3Command command)
    {
        if (command.Arguments.Length != 0) return new(Pop3Reply.Err("Syntax: STAT"), state);
        var (count, octets) = state.Totals();
        return new(Pop3Reply.Ok(Invariant($"{count} {octets}")), state);
    }
}
