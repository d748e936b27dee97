using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>ENABLE (RFC 5161): UTF8=ACCEPT (RFC 6855), CONDSTORE and QRESYNC (RFC 7162), IMAP4rev2 (RFC 9051).
/// Answers "* ENABLED" with the extensions newly enabled; unknown names are ignored.</summary>
internal static class EnableCommand
{
    public static ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var names = new List<string>();
        do names.Add(t.Atom());
        while (t.Ok && t.TryByte((byte)' '));
        t.ExpectEnd();
        if (t.Error is { } error) return new(new Outcome(Completion.Bad(error), state));

        context.Writer.Raw("* ENABLED");
        foreach (var name in names)
            if (context.Enable(name) is { } enabled) context.Writer.Sp().Raw(enabled);
        context.Writer.Crlf();
        return new(new Outcome(Completion.Ok("ENABLE completed"), state));
    }
}
