using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>SETQUOTA (RFC 9208 §4.1): limits are set by the administrator, never by the user.</summary>
internal static class SetQuotaCommand
{
    public static ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct) =>
        new(new Outcome(Completion.No("Quota limits are set by the administrator", "NOPERM"), state));
}
