using static System.FormattableString;

namespace Estafeta.Pop3.Commands;

/// <summary>RETR msg (RFC 1939 §5): the stored message, dot-stuffed.</summary>
internal static class RetrCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(TransactionState state, Pop3Command command, CancellationToken ct)
    {
        if (command.Arguments is not [var argument]) return new(Pop3Reply.Err("Syntax: RETR msg"), state);
        if (!state.TryFind(argument, out _, out var message, out var error)) return new(error, state);
        var stream = await state.Maildrop.OpenAsync(message, ct).ConfigureAwait(false);
        var reply = Pop3Reply.Ok(Invariant($"{message.Size} octets")) with { Content = new MessageContent(stream, MaxBodyLines: null) };
        return new(reply, state);
    }
}
