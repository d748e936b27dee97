using Estafeta.Storage;

namespace Estafeta.Mail.Outbound;

/// <summary>One message for the recipients that go to one destination.</summary>
internal sealed class DeliveryJob(QueuedMessage message, IReadOnlyList<QueuedRecipient> recipients, string destination)
{
    private readonly TaskCompletionSource<JobResult> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _durable = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public QueuedMessage Message { get; } = message;
    public IReadOnlyList<QueuedRecipient> Recipients { get; } = recipients;

    /// <summary>The recipient domain, or the route's host:port when several domains share a route.</summary>
    public string Destination { get; } = destination;

    public Task<JobResult> Done => _done.Task;

    /// <summary>The answers learnt for this job's recipients, not written yet: the settling pass writes them with
    /// the rest of the message's outcome (group-committed with other messages).</summary>
    public List<RecipientOutcome> Outcomes { get; } = [];
    public List<DeliveryAttempt> Attempts { get; } = [];
    public List<OutboundEvent> Events { get; } = [];

    public void Complete(JobResult result) => _done.TrySetResult(result);

    /// <summary>The message's only job: its outcomes are written with the message's settlement. Otherwise the
    /// worker writes them itself when the job ends (<see cref="Written"/>), so that no worker waits on another
    /// destination's progress.</summary>
    public bool Alone { get; init; }

    /// <summary>The outcomes are durable already; the settlement does not write them again.</summary>
    public bool Written { get; set; }

    /// <summary>Completes once what this job learnt is durable (or could not be written and the message stays
    /// queued); a connection ends a later message's data (its final ".") only then, within a window of
    /// <see cref="QueueRunner.UnrecordedPerConnection"/> messages: what a crash repeats per connection.</summary>
    public Task Durable => _durable.Task;

    public void MarkDurable() => _durable.TrySetResult();

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
