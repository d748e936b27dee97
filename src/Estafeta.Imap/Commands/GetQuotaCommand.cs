using Estafeta.Imap.Protocol;
using Estafeta.Imap.Session;

namespace Estafeta.Imap.Commands;

/// <summary>GETQUOTA root (RFC 9208 §4.2): only the root "" exists, and only when the user has a limit.</summary>
internal static class GetQuotaCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, ImapCommand command, CancellationToken ct)
    {
        var t = command.Args;
        var root = t.AString();
        t.ExpectEnd();
        if (t.Error is { } error) return new(Completion.Bad(error), state);
        var usage = await Stores.Of(state).GetQuotaAsync(ct).ConfigureAwait(false);
        if (root.Length != 0 || usage.LimitBytes is null) return new(Completion.No("No such quota root", "NONEXISTENT"), state);
        Quota.WriteQuota(context, usage);
        return new(Completion.Ok("GETQUOTA completed"), state);
    }
}
