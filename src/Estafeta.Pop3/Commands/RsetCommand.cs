namespace Estafeta.Pop3.Commands;

/// <summary>RSET (RFC 1939 §5): unmarks every message marked as deleted.</summary>
internal static class RsetCommand
{
    public static Outcome Execute(TransactionState state, Pop3Command command)
    {
        if (command.Arguments.Length != 0) return new(Pop3Reply.Err("Syntax: RSET"), state);
        var reset = state with { Deleted = [] };
        var (count, octets) = reset.Totals();
        return new(Pop3Reply.Ok("Maildrop has " + Pop3Reply.Size(count, octets)), reset);
    }
}
