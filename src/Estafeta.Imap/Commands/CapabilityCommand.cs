using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>CAPABILITY (RFC 9051 §6.1.1).</summary>
internal static class CapabilityCommand
{
    public static ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        command.Args.ExpectEnd();
        if (command.Args.Error is { } error) return new(new Outcome(Completion.Bad(error), state));
        context.Writer.Raw("* CAPABILITY ").Raw(Capabilities.For(context, state)).Crlf();
        return new(new Outcome(Completion.Ok("CAPABILITY completed"), state));
    }
}
