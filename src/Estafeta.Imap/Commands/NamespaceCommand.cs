using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>NAMESPACE (RFC 2342): one personal namespace with the prefix "" and separator "/".</summary>
internal static class NamespaceCommand
{
    public static ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        command.Args.ExpectEnd();
        if (command.Args.Error is { } error) return new(new Outcome(Completion.Bad(error), state));
        context.Writer.Raw("* NAMESPACE ((\"\" \"/\")) NIL NIL\r\n");
        return new(new Outcome(Completion.Ok("NAMESPACE completed"), state));
    }
}
