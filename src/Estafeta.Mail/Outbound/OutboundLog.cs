using Microsoft.Extensions.Logging;

namespace Estafeta.Mail.Outbound;

internal sealed partial class OutboundLog(ILogger log)
{
    [LoggerMessage(Level = LogLevel.Information, Message = "queue {QueueId}: to=<{Recipient}> relay={Host} tls={Tls} status={Outcome} ({Answer})")]
    public partial void Recipient(long queueId, string recipient, string host, string tls, string outcome, string answer);

    [LoggerMessage(Level = LogLevel.Information, Message = "queue {QueueId}: to=<{Recipient}> status={Outcome} ({Answer})")]
    public partial void RecipientWithoutHost(long queueId, string recipient, string outcome, string answer);

    [LoggerMessage(Level = LogLevel.Warning, Message = "destination {Destination}: {Host} failed: {Problem}")]
    public partial void HostFailed(string destination, string host, string problem);

    [LoggerMessage(Level = LogLevel.Information, Message = "queue {QueueId}: removed ({Outcome})")]
    public partial void Removed(long queueId, string outcome);

    // Every recipient's delivery has its own line already; at volume one more line per message only slows the
    // delivery workers down (the console logger makes writers wait when its queue is full).
    [LoggerMessage(Level = LogLevel.Debug, Message = "queue {QueueId}: removed (delivered)")]
    public partial void RemovedDelivered(long queueId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "message files of delivered entries were not deleted (the blob collector removes them later)")]
    public partial void FilesNotDeleted(Exception e);

    [LoggerMessage(Level = LogLevel.Information, Message = "queue {QueueId}: {Kind} notice sent to <{Sender}> as queue {NoticeId}")]
    public partial void NoticeSent(long queueId, string kind, string sender, long noticeId);

    [LoggerMessage(Level = LogLevel.Information, Message = "queue {QueueId}: {Kind} notice delivered to the mailbox of <{Sender}>")]
    public partial void NoticeDeliveredLocally(long queueId, string kind, string sender);

    [LoggerMessage(Level = LogLevel.Warning, Message = "queue {QueueId}: {Kind} notice not sent: <{Sender}> is an address of this server with no mailbox")]
    public partial void NoticeRefused(long queueId, string kind, string sender);

    [LoggerMessage(Level = LogLevel.Information, Message = "released {Count} message(s) that were in flight when {Node} stopped; they are delivered again")]
    public partial void LeasesReleased(int count, string node);

    [LoggerMessage(Level = LogLevel.Error, Message = "queue runner pass failed; trying again")]
    public partial void PassFailed(Exception e);

    [LoggerMessage(Level = LogLevel.Error, Message = "queue {QueueId}: delivery failed unexpectedly; it stays queued")]
    public partial void JobFailed(Exception e, long queueId);

    [LoggerMessage(Level = LogLevel.Information, Message = "TLS report for {Domain} ({Day}) sent to {Address}")]
    public partial void TlsReportSent(string domain, string day, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS report of {Domain} for {Day} not sent to {Address}: an address of this server with no mailbox")]
    public partial void TlsReportRefused(string domain, string day, string address);

    [LoggerMessage(Level = LogLevel.Warning, Message = "TLS report for {Domain} ({Day}) not sent: the _smtp._tls record could not be read; {Outcome}")]
    public partial void TlsReportLookupFailed(string domain, string day, string outcome);
}
