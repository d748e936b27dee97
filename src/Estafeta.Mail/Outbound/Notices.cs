using Estafeta.Storage;

namespace Estafeta.Mail.Outbound;

/// <summary>
/// Sends the delivery status notifications the sender asked for (RFC 3461): failures (unless NOTIFY=NEVER or a NOTIFY
/// without FAILURE), delays (NOTIFY absent or with DELAY), and "relayed" successes for NOTIFY=SUCCESS when the next
/// server could not carry the request on. Never for the null sender (no bounce for a bounce) and never for VERP mail,
/// whose bounces are the platform's own events. Each notice is queued through <see cref="MailEngine.SubmitAsync"/>.
/// </summary>
internal sealed class Notices(MailEngine engine, OutboundLog log)
{
    public Task FailureAsync(QueuedMessage message, IReadOnlyList<QueuedRecipient> failed, CancellationToken ct) =>
        SendAsync(message, [.. failed.Where(r => r.DsnNotify is null || QueueRunner.Notifies(r.DsnNotify, "FAILURE"))], "failed", null, ct);

    public Task DelayAsync(QueuedMessage message, IReadOnlyList<QueuedRecipient> waiting, DateTimeOffset until, CancellationToken ct) =>
        SendAsync(message, [.. waiting.Where(r => r.DsnNotify is null || QueueRunner.Notifies(r.DsnNotify, "DELAY"))], "delayed", until, ct);

    public Task SuccessAsync(QueuedMessage message, IReadOnlyList<QueuedRecipient> delivered, CancellationToken ct) =>
        SendAsync(message, [.. delivered.Where(r => QueueRunner.Notifies(r.DsnNotify, "SUCCESS"))], "relayed", null, ct);

    private async Task SendAsync(QueuedMessage message, IReadOnlyList<QueuedRecipient> recipients, string action, DateTimeOffset? until, CancellationToken ct)
    {
        if (recipients.Count == 0 || message.EnvelopeSender.Length == 0 || message.Verp) return;
        var now = engine.Clock.GetUtcNow();
        var dsnRecipients = recipients.Select(r => new DsnRecipient(
            r.Address,
            r.DsnOrcpt,
            action,
            action == "relayed" ? "2.0.0" : r.Status ?? (action == "delayed" ? "4.0.0" : "5.0.0"),
            r.RemoteMta,
            r.LastError,
            r.UpdatedAt ?? now,
            until)).ToList();
        byte[] content;
        await using (var original = QueuedContent.Open(engine.Blobs, message.BlobHash))
        {
            content = DsnBuilder.Build(engine.Options.HostName, message.EnvelopeSender, message.DsnEnvId, message.CreatedAt, now, dsnRecipients, original, message.DsnRet, message.Size);
        }
        var receipt = await engine.SubmitAsync(new LocalSubmission("", [message.EnvelopeSender], content), ct);
        if (receipt.OutboundQueueId is { } noticeId) log.NoticeSent(message.Id, action, message.EnvelopeSender, noticeId);
        else if (receipt.LocalCopies > 0) log.NoticeDeliveredLocally(message.Id, action, message.EnvelopeSender);
        else log.NoticeRefused(message.Id, action, message.EnvelopeSender);
    }
}
