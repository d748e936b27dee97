using Estafeta.Net;
using Estafeta.Smtp.Session;

namespace Estafeta.Smtp.Commands;

/// <summary>
/// DATA (RFC 5321 §4.1.1.4): 354, then the body streamed into the sink until CRLF.CRLF, then the sink's
/// answer. Without an accepted recipient the answer is 554 5.5.1 and no 354 (RFC 2920 §3.1). A body over
/// the size limit is read to its end and refused with 552 5.3.4; a body cut off by the client is dropped.
/// Either way the transaction is over.
/// </summary>
internal static class DataCommand
{
    public static SmtpReply NoValidRecipients { get; } = new(554, "5.5.1", "No valid recipients");
    public static SmtpReply StartInput { get; } = new(354, "", "End data with <CR><LF>.<CR><LF>");

    public static async ValueTask<SessionStep> ExecuteAsync(SmtpSession session, ReadOnlyMemory<byte> argument, CancellationToken ct)
    {
        if (!argument.IsEmpty)
        {
            session.Reply(Replies.NoArguments("DATA"));
            return SessionStep.Continue;
        }
        if (session.State is not RecipientsAdded transaction)
        {
            session.Reply(NoValidRecipients);
            return SessionStep.Continue;
        }
        session.State = new Greeted(transaction.Helo);

        var info = session.Info;
        var (begun, writer) = await session.TryAsync("starting a message",
            c => session.Sink.BeginAsync(info, transaction.From, transaction.Recipients, c), ct).ConfigureAwait(false);
        if (!begun || writer is null)
        {
            session.Reply(SmtpReplies.LocalError);
            return SessionStep.Continue;
        }
        await using (writer.ConfigureAwait(false))
        {
            session.Reply(StartInput);
            await session.FlushAsync(ct).ConfigureAwait(false);
            var limit = session.Options.MaxMessageSize;
            var body = await DotStreamReader.ReadAsync(session.Connection.Input, writer.Content, limit, ct).ConfigureAwait(false);
            switch (body.Status)
            {
                case DotStreamStatus.Closed:
                    return SessionStep.Close("closed by the client during DATA");
                case DotStreamStatus.TooLarge:
                    SmtpLog.MessageTooLarge(session.Log, session.Id, transaction.From.Address, body.Length, limit);
                    session.Reply(Replies.MessageTooLarge(limit));
                    return SessionStep.Continue;
                default:
                    await session.FlushAsync(ct).ConfigureAwait(false);
                    var reply = await session.AskAsync("storing a message", c => writer.CommitAsync(body, c), ct).ConfigureAwait(false);
                    SmtpLog.MessageAnswered(session.Log, session.Id, transaction.From.Address, transaction.Recipients.Length, body.Length, reply.ToString());
                    session.Reply(reply);
                    return SessionStep.Continue;
            }
        }
    }
}
