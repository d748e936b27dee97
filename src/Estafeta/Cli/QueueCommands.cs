using System.CommandLine;
using System.Globalization;
using Estafeta.Storage;

namespace Estafeta.Cli;

/// <summary><c>estafeta queue</c>: look at and steer the outbound queue. Changes take effect on a running server
/// within a second (the queue runner reads the database on each pass).</summary>
public static class QueueCommands
{
    public static Command Create()
    {
        var command = new Command("queue", "Inspect and manage the outbound mail queue, its routes, limits and warm-up");
        command.Subcommands.Add(List());
        command.Subcommands.Add(Show());
        command.Subcommands.Add(Retry());
        command.Subcommands.Add(OneEntry("hold", "Hold a message: it is not attempted until released", (q, id, ct) => q.HoldAsync(id, ct), "held"));
        command.Subcommands.Add(OneEntry("release", "Release a held message; it is attempted at once", (q, id, ct) => q.ReleaseAsync(id, ct), "released"));
        command.Subcommands.Add(OneEntry("delete", "Delete a message from the queue without notifying anyone", (q, id, ct) => q.DeleteAsync(id, ct), "deleted"));
        command.Subcommands.Add(Flush());
        command.Subcommands.Add(Stats());
        command.Subcommands.Add(Events());
        command.Subcommands.Add(QueueSettingsCommands.Routes());
        command.Subcommands.Add(QueueSettingsCommands.Limits());
        command.Subcommands.Add(QueueSettingsCommands.Warmup());
        command.Subcommands.Add(QueueSettingsCommands.Settings());
        return command;
    }

    private static Command List()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var domain = new Option<string?>("--domain") { Description = "Only messages with a recipient in this domain" };
        var state = new Option<string?>("--state") { Description = "Only messages in this state: queued or held" };
        var olderThan = new Option<string?>("--older-than") { Description = "Only messages queued longer than this (90s, 15m, 2h, 5d)" };
        var limit = new Option<int>("--limit") { Description = "At most this many", DefaultValueFactory = _ => 1000 };
        var command = new Command("list", "List queued messages, oldest first") { json, domain, state, olderThan, limit };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            OutboundState? wanted = null;
            if (parse.GetValue(state) is { } s)
            {
                if (!Enum.TryParse<OutboundState>(s, ignoreCase: true, out var st) || st is not (OutboundState.Queued or OutboundState.Held))
                    return Output.Fail($"--state takes queued or held, not '{s}'.");
                wanted = st;
            }
            TimeSpan? age;
            try { age = DurationParser.Parse(parse.GetValue(olderThan)); }
            catch (FormatException e) { return Output.Fail(e.Message); }
            var entries = await new OutboundQueueStore(db).ListAsync(new QueueFilter(parse.GetValue(domain), wanted, age, parse.GetValue(limit)), ct);
            var now = DateTimeOffset.UtcNow;
            if (parse.GetValue(json))
            {
                Output.WriteJson(entries.Select(e => new
                {
                    id = e.Id,
                    state = Name(e.State),
                    sender = e.EnvelopeSender,
                    size = e.Size,
                    created = e.CreatedAt,
                    nextAttempt = e.NextAttemptAt,
                    attempts = e.Attempts,
                    lastError = e.LastError,
                    recipients = e.Recipients.Select(r => new { address = r.Address, state = Name(r.State), status = r.Status, lastError = r.LastError }),
                }));
                return 0;
            }
            Output.WriteTable(["Id", "State", "Age", "Size", "From", "To (left/all)", "Next attempt", "Last error"],
                entries.Select(e => new[]
                {
                    e.Id.ToString(CultureInfo.InvariantCulture),
                    Name(e.State),
                    DurationParser.Format(now - e.CreatedAt),
                    e.Size.ToString(CultureInfo.InvariantCulture),
                    e.EnvelopeSender.Length == 0 ? "<>" : e.EnvelopeSender,
                    $"{string.Join(", ", e.Recipients.Where(r => r.State == OutboundState.Queued).Take(2).Select(r => r.Address))} ({e.Recipients.Count(r => r.State == OutboundState.Queued)}/{e.Recipients.Count})",
                    e.State == OutboundState.Held ? "held" : Time(e.NextAttemptAt),
                    Short(e.LastError),
                }),
                "The queue is empty.");
            return 0;
        }));
        return command;
    }

    private static Command Show()
    {
        var id = new Argument<long>("id") { Description = "Queue id (see queue list)" };
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var command = new Command("show", "Show a queued message: envelope, recipients and every delivery attempt with the remote answers") { id, json };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var store = new OutboundQueueStore(db);
            var entry = await store.GetAsync(parse.GetValue(id), ct);
            if (entry is null) return Output.Fail($"queue entry {parse.GetValue(id)} does not exist (it may have been delivered: see queue events).");
            var attempts = await store.AttemptsAsync(entry.Id, ct);
            if (parse.GetValue(json))
            {
                Output.WriteJson(new
                {
                    id = entry.Id,
                    state = Name(entry.State),
                    sender = entry.EnvelopeSender,
                    size = entry.Size,
                    blob = entry.BlobHash,
                    dsnRet = entry.DsnRet,
                    dsnEnvId = entry.DsnEnvId,
                    verp = entry.Verp,
                    created = entry.CreatedAt,
                    nextAttempt = entry.NextAttemptAt,
                    attempts = entry.Attempts,
                    recipients = entry.Recipients.Select(r => new { id = r.Id, address = r.Address, state = Name(r.State), notify = r.DsnNotify, orcpt = r.DsnOrcpt, attempts = r.Attempts, status = r.Status, remoteMta = r.RemoteMta, lastError = r.LastError }),
                    history = attempts.Select(a => new { at = a.At, recipient = a.Recipient, destination = a.Destination, mx = a.MxHost, address = a.MxAddress, tls = a.Tls, outcome = a.Outcome, reply = a.Reply }),
                });
                return 0;
            }
            Console.Out.WriteLine($"Queue entry {entry.Id} ({Name(entry.State)}), {entry.Size} bytes, from <{entry.EnvelopeSender}>{(entry.Verp ? " (VERP)" : "")}");
            Console.Out.WriteLine($"Queued {Time(entry.CreatedAt)}, {entry.Attempts} attempt(s), next {Time(entry.NextAttemptAt)}");
            Output.WriteTable(["Recipient", "State", "Attempts", "Status", "Last answer"],
                entry.Recipients.Select(r => new[] { r.Address, Name(r.State), r.Attempts.ToString(CultureInfo.InvariantCulture), r.Status ?? "-", r.LastError ?? "-" }), "No recipients.");
            Output.WriteTable(["When (UTC)", "Recipient", "Host", "TLS", "Outcome", "Remote answer"],
                attempts.Select(a => new[] { Time(a.At), a.Recipient ?? "-", a.MxHost is null ? "-" : $"{a.MxHost} [{a.MxAddress}]", a.Tls ?? "-", a.Outcome, a.Reply ?? "-" }),
                "No delivery attempts yet.");
            return 0;
        }));
        return command;
    }

    private static Command Retry()
    {
        var id = new Argument<long?>("id") { Description = "Queue id; omit with --all", Arity = ArgumentArity.ZeroOrOne };
        var all = new Option<bool>("--all") { Description = "Every queued message" };
        var command = new Command("retry", "Attempt a deferred message (or all) now instead of at its next retry time") { id, all };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var which = parse.GetValue(id);
            if (which is null && !parse.GetValue(all)) return Output.Fail("give a queue id, or --all.");
            var n = await new OutboundQueueStore(db).RetryNowAsync(which, ct);
            Output.Done($"{n} message(s) due now.");
            return 0;
        }));
        return command;
    }

    private static Command Flush()
    {
        var command = new Command("flush", "Attempt every queued message now (held messages stay held)");
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var n = await new OutboundQueueStore(db).RetryNowAsync(null, ct);
            Output.Done($"{n} message(s) due now.");
            return 0;
        }));
        return command;
    }

    private static Command OneEntry(string name, string description, Func<OutboundQueueStore, long, CancellationToken, Task> action, string done)
    {
        var id = new Argument<long>("id") { Description = "Queue id (see queue list)" };
        var command = new Command(name, description) { id };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            await action(new OutboundQueueStore(db), parse.GetValue(id), ct);
            Output.Done($"Queue entry {parse.GetValue(id)} {done}.");
            return 0;
        }));
        return command;
    }

    private static Command Stats()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var since = new Option<string?>("--since") { Description = "Count outcomes of this long ago until now (default 24h)" };
        var command = new Command("stats", "Queue size, age of the oldest message, and deliveries, deferrals, bounces and complaints per destination") { json, since };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            TimeSpan window;
            try { window = DurationParser.Parse(parse.GetValue(since)) ?? TimeSpan.FromHours(24); }
            catch (FormatException e) { return Output.Fail(e.Message); }
            var (messages, recipients, oldest) = await new OutboundQueueStore(db).SizeAsync(ct);
            var counts = await new OutboundEventStore(db).CountByDestinationAsync(DateTimeOffset.UtcNow - window, ct);
            var rows = counts.GroupBy(c => c.Destination).Select(g => new
            {
                destination = g.Key,
                delivered = g.Where(c => c.Kind == OutboundEventKind.Delivered).Sum(c => c.Count),
                deferred = g.Where(c => c.Kind == OutboundEventKind.Deferred).Sum(c => c.Count),
                bounced = g.Where(c => c.Kind == OutboundEventKind.Bounced).Sum(c => c.Count),
                complained = g.Where(c => c.Kind == OutboundEventKind.Complained).Sum(c => c.Count),
            }).ToList();
            var age = oldest is { } o ? (DateTimeOffset.UtcNow - o).TotalSeconds : 0;
            if (parse.GetValue(json))
            {
                Output.WriteJson(new { messages, recipients, oldestAgeSeconds = Math.Round(age), destinations = rows });
                return 0;
            }
            Console.Out.WriteLine($"{messages} message(s), {recipients} recipient(s) to deliver; oldest {(oldest is null ? "-" : DurationParser.Format(TimeSpan.FromSeconds(age)))}.");
            Output.WriteTable(["Destination", "Delivered", "Deferred", "Bounced", "Complained"],
                rows.Select(r => new[] { r.destination, N(r.delivered), N(r.deferred), N(r.bounced), N(r.complained) }), "No outcomes in that window.");
            return 0;
        }));
        return command;
    }

    private static Command Events()
    {
        var json = new Option<bool>("--json") { Description = "Print JSON for scripts" };
        var address = new Option<string?>("--address") { Description = "Only events of this recipient address" };
        var queueId = new Option<long?>("--queue-id") { Description = "Only events of this queue entry" };
        var limit = new Option<int>("--limit") { Description = "At most this many, newest first", DefaultValueFactory = _ => 100 };
        var command = new Command("events", "Outcomes of outbound mail: delivered, deferred, bounced (hard/soft/...), complained") { json, address, queueId, limit };
        command.SetAction((parse, ct) => StorageVerb.RunAsync(parse, async (db, _) =>
        {
            var events = await new OutboundEventStore(db).ListAsync(parse.GetValue(address), parse.GetValue(queueId), parse.GetValue(limit), ct);
            if (parse.GetValue(json))
            {
                Output.WriteJson(events.Select(e => new { at = e.At, kind = Name(e.Kind), bounceClass = e.BounceClass, address = e.Address, sender = e.Sender, destination = e.Destination, queueId = e.QueueId, recipientId = e.RecipientId, messageId = e.MessageId, status = e.Status, detail = e.Detail, source = e.Source }));
                return 0;
            }
            Output.WriteTable(["When (UTC)", "Outcome", "Class", "Address", "Queue id", "Source", "Detail"],
                events.Select(e => new[] { Time(e.At), Name(e.Kind), e.BounceClass ?? "-", e.Address, e.QueueId?.ToString(CultureInfo.InvariantCulture) ?? "-", e.Source, Short(e.Detail) }),
                "No events.");
            return 0;
        }));
        return command;
    }

    private static string Name<T>(T value) where T : Enum => value.ToString().ToLowerInvariant();
    private static string N(long n) => n.ToString(CultureInfo.InvariantCulture);
    private static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
    private static string Short(string? s) => s is null ? "-" : s.Length > 60 ? s[..57] + "..." : s;
}
