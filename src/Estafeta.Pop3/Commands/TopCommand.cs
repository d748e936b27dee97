namespace Estafeta.Pop3.Commands;

/// <summary>TOP msg n (RFC 1939 §7): the header, the blank line, and at most n body lines, dot-stuffed.</summary>
internal static class TopCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(TransactionState state, Pop3Command command, CancellationToken ct)
    {
        if (command.Arguments is not [var argument, var lines]) return new(Pop3Reply.Err("Syntax: TOP msg n"), state);
        if (!state.TryFind(argument, out _, out var message, out var error)) return new(error, state);
        if (!MessageNumbers.TryParse(lines, out var bodyLines)) return new(Pop3Reply.Err("Invalid line count"), state);
        var stream = await state.Maildrop.OpenAsync(message, ct).ConfigureAwait(false);
        var reply = Pop3Reply.Ok("Top of message follows") with { Content = new MessageContent(stream, bodyLines) };
        return new(reply, state);
    }
}
