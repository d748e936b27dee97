using Microsoft.Extensions.Logging;

namespace Estafeta.Mail;

internal sealed partial class MailLog(ILogger log)
{
    public void Accepted(string queueId, string client, string from, int recipients, long size, int local, int queued) =>
        LogAccepted(log, queueId, client, from, recipients, size, local, queued);

    public void StoreFailed(Exception e, string queueId) => LogStoreFailed(log, e, queueId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{QueueId}: accepted from {Client}: from=<{From}> rcpts={Recipients} size={Size} local={Local} queued={Queued}")]
    private static partial void LogAccepted(ILogger log, string queueId, string client, string from, int recipients, long size, int local, int queued);

    [LoggerMessage(Level = LogLevel.Error, Message = "{QueueId}: could not store the message; the client was told to retry")]
    private static partial void LogStoreFailed(ILogger log, Exception e, string queueId);
}
