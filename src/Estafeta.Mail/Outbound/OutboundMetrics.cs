using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Estafeta.Storage;

namespace Estafeta.Mail.Outbound;

/// <summary>Counters of the outcomes per destination since the process started, and the Prometheus text
/// exposition of them with the queue's size and the age of its oldest message.</summary>
public sealed class OutboundMetrics
{
    private readonly ConcurrentDictionary<(string Destination, string Outcome), long> _counts = new();

    public void Count(string destination, OutboundEventKind kind) =>
        _counts.AddOrUpdate((destination.ToLowerInvariant(), kind.ToString().ToLowerInvariant()), 1, (_, n) => n + 1);

    public IReadOnlyDictionary<(string Destination, string Outcome), long> Snapshot() => _counts.ToDictionary();

    /// <summary>The group commit's counters: transactions and the messages settled in them.</summary>
    public Func<(long Commits, long Settled)>? Settlements { get; internal set; }

    /// <summary>Prometheus text format (version 0.0.4).</summary>
    public async Task<string> RenderAsync(OutboundQueueStore queue, TimeProvider clock, CancellationToken ct)
    {
        var (messages, recipients, oldest) = await queue.SizeAsync(ct);
        var b = new StringBuilder();
        b.Append("# HELP estafeta_queue_messages Messages in the outbound queue.\n# TYPE estafeta_queue_messages gauge\n");
        b.Append(CultureInfo.InvariantCulture, $"estafeta_queue_messages {messages}\n");
        b.Append("# HELP estafeta_queue_recipients Recipients still to deliver.\n# TYPE estafeta_queue_recipients gauge\n");
        b.Append(CultureInfo.InvariantCulture, $"estafeta_queue_recipients {recipients}\n");
        b.Append("# HELP estafeta_queue_oldest_age_seconds Age of the oldest queued message.\n# TYPE estafeta_queue_oldest_age_seconds gauge\n");
        var age = oldest is { } o ? Math.Max(0, (clock.GetUtcNow() - o).TotalSeconds) : 0;
        b.Append(CultureInfo.InvariantCulture, $"estafeta_queue_oldest_age_seconds {age:0.###}\n");
        var (commits, settled) = Settlements?.Invoke() ?? (0, 0);
        b.Append("# HELP estafeta_outbound_settle_commits_total Transactions that recorded delivery outcomes (group commits).\n# TYPE estafeta_outbound_settle_commits_total counter\n");
        b.Append(CultureInfo.InvariantCulture, $"estafeta_outbound_settle_commits_total {commits}\n");
        b.Append("# HELP estafeta_outbound_settled_messages_total Messages whose outcomes those transactions recorded.\n# TYPE estafeta_outbound_settled_messages_total counter\n");
        b.Append(CultureInfo.InvariantCulture, $"estafeta_outbound_settled_messages_total {settled}\n");
        // A metric's samples follow its HELP and TYPE lines with no other metric between (they came after the settlement
        // counters, which strict readers of the format refuse).
        b.Append(CultureInfo.InvariantCulture, $"# HELP estafeta_outbound_recipients_total Recipient outcomes per destination since start (the {MaxDestinations} busiest; the rest as destination=\"{OtherDestinations}\").\n# TYPE estafeta_outbound_recipients_total counter\n");
        foreach (var ((destination, outcome), count) in Labelled().OrderBy(c => c.Key.Destination, StringComparer.Ordinal).ThenBy(c => c.Key.Outcome, StringComparer.Ordinal))
            b.Append(CultureInfo.InvariantCulture, $"estafeta_outbound_recipients_total{{destination=\"{Escape(destination)}\",outcome=\"{outcome}\"}} {count}\n");
        return b.ToString();
    }

    /// <summary>The destinations given a label of their own: a platform that mails a hundred thousand domains would
    /// otherwise give each its own series, which metrics systems keep forever.</summary>
    public const int MaxDestinations = 100;

    /// <summary>The label under which the destinations past <see cref="MaxDestinations"/> are added up.</summary>
    public const string OtherDestinations = "(other)";

    private Dictionary<(string Destination, string Outcome), long> Labelled()
    {
        var counts = _counts.ToArray();
        var busiest = counts.GroupBy(c => c.Key.Destination, StringComparer.Ordinal)
            .OrderByDescending(g => g.Sum(c => c.Value)).ThenBy(g => g.Key, StringComparer.Ordinal)
            .Take(MaxDestinations).Select(g => g.Key).ToHashSet(StringComparer.Ordinal);
        var labelled = new Dictionary<(string Destination, string Outcome), long>();
        foreach (var ((destination, outcome), count) in counts)
        {
            var key = (busiest.Contains(destination) ? destination : OtherDestinations, outcome);
            labelled[key] = labelled.GetValueOrDefault(key) + count;
        }

        return labelled;
    }

    private static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
}
