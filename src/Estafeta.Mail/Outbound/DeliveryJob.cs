using Estafeta.Storage;

namespace Estafeta.Mail.Outbound;

/// <summary>One message for the recipients that go to one destination.</summary>
internal sealed class DeliveryJob(QueuedMessage message, IReadOnlyList<QueuedRecipient> recipients, string destination)
{
    private readonly TaskCompletionSource<JobResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public QueuedMessage Message { get; } = message;
    public IReadOnlyList<QueuedRecipient> Recipients { get; } = recipients;

    /// <summary>The recipient domain, or the route's host:port when several domains share a route.</summary>
    public string Destination { get; } = destination;

    public Task<JobResult> Done => _done.Task;

    public void Complete(JobResult result) => _done.TrySetResult(result);

    public string RecipientDomain => Recipients[0].Address[(Recipients[0].Address.LastIndexOf('@') + 1)..].ToLowerInvariant();
}

/// <summary>How a job ended. <see cref="Attempted"/> is false when it was held back locally (rate limit, a
/// destination backing off) without talking to anyone; <see cref="NotBefore"/> is then when to try again.</summary>
internal sealed record JobResult(bool Attempted, DateTimeOffset? NotBefore, IReadOnlyList<long> SuccessNoticeRecipients)
{
    public static JobResult Done(IReadOnlyList<long>? successNotices = null) => new(true, null, successNotices ?? []);
    public static JobResult HeldBack(DateTimeOffset until) => new(false, until, []);
    public static JobResult Deferred(DateTimeOffset? notBefore) => new(true, notBefore, []);
}
