using System.Collections.Concurrent;
using Estafeta.Storage;

namespace Estafeta.Mail.Outbound;

/// <summary>
/// Keeps each sending domain under the daily cap of its warm-up schedule: the recipients delivered today (UTC, from
/// the events) plus those in flight. A message that would go over waits until the next UTC day; it is not counted as
/// an attempt.
/// </summary>
internal sealed class WarmupGate(OutboundEventStore events)
{
    private readonly ConcurrentDictionary<string, long> _inFlight = new(StringComparer.Ordinal);

    /// <summary>Null (and the recipients reserved) when the message may go now; else when it may.</summary>
    public async Task<DateTimeOffset?> HoldUntilAsync(QueuedMessage message, int recipients, IReadOnlyList<WarmupSchedule> schedules, DateTimeOffset now, CancellationToken ct)
    {
        var domain = SendingDomain(message);
        var schedule = schedules.FirstOrDefault(s => s.SendingDomain == domain);
        if (schedule?.CapOn(now) is not { } cap) return null;
        var today = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        var delivered = await events.CountDeliveredAsync(domain, today, ct);
        var reserved = _inFlight.AddOrUpdate(domain, recipients, (_, n) => n + recipients);
        if (delivered + reserved <= cap || reserved == recipients && delivered == 0) return null;
        Release(message, recipients);
        return today.AddDays(1);
    }

    public void Release(QueuedMessage message, int recipients)
    {
        var domain = SendingDomain(message);
        if (_inFlight.ContainsKey(domain)) _inFlight.AddOrUpdate(domain, 0, (_, n) => Math.Max(0, n - recipients));
    }

    private static string SendingDomain(QueuedMessage message) =>
        message.EnvelopeSender.Contains('@') ? QueueRunner.DomainOf(message.EnvelopeSender) : "";
}
