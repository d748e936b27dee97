using static System.FormattableString;

namespace Estafeta.Pop3.Commands;

/// <summary>QUIT (RFC 1939 §4, §6). From TRANSACTION it enters UPDATE: the messages marked as deleted
/// are removed, then the connection closes. From AUTHORIZATION it just closes.</summary>
internal static class QuitCommand
{
    public static async ValueTask<Outcome> ExecuteAsync(SessionContext context, SessionState state, Pop3Command command, CancellationToken ct)
    {
        if (command.Arguments.Length != 0) return new(Pop3Reply.Err("Syntax: QUIT"), state);
        if (state is not TransactionState transaction)
            return new(Pop3Reply.Ok(context.Options.HostName + " POP3 server signing off"), state, SessionAction.Close);

        var update = new UpdateState(transaction.Principal, transaction.Maildrop);
        var deleted = transaction.Deleted.Order().Select(n => transaction.Messages[n - 1]).ToList();
        if (deleted.Count > 0)
        {
            try
            {
                await transaction.Maildrop.CommitDeletionsAsync(deleted, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                Pop3Log.CommitFailed(context.Log, e, context.Remote, transaction.Principal.Login);
                return new(Pop3Reply.Err("Some deleted messages not removed", ResponseCode.SysTemp), update, SessionAction.Close);
            }
        }
        var left = transaction.Messages.Count - deleted.Count;
        Pop3Log.Quit(context.Log, context.Remote, transaction.Principal.Login, deleted.Count, left);
        return new(Pop3Reply.Ok(Invariant($"{context.Options.HostName} POP3 server signing off ({deleted.Count} deleted, {left} left)")), update, SessionAction.Close);
    }
}
