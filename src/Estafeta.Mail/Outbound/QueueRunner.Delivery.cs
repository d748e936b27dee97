using System.Net;
using Estafeta.Mail.Feedback;
using Estafeta.Mail.Outbound.MtaSts;
using Estafeta.Storage;

namespace Estafeta.Mail.Outbound;

/// <summary>The destinations' workers: each holds one connection and sends the destination's jobs over it.</summary>
public sealed partial class QueueRunner
{
    private void Enqueue(DeliveryJob job, (DeliverySettings Settings, RoutingTable Routes, LimitTable Limits, IReadOnlyList<WarmupSchedule> Warmups, DateTimeOffset Until) config)
    {
        var destination = _destinations.GetOrAdd(job.Destination, key => new Destination(key, key.StartsWith("route:", StringComparison.Ordinal) ? key : null));
        destination.Used(Now);
        destination.Limit = config.Limits.Find(job.RecipientDomain, destination.Plan?.Plan.Lookup.Hosts.FirstOrDefault()?.Name);
        destination.MaxConnections = destination.Limit?.MaxConnections ?? config.Settings.MaxConnectionsPerDestination;
        destination.Jobs.Enqueue(job);
        if (destination.TryStartWorker()) _ = Task.Run(() => WorkerAsync(destination, config), CancellationToken.None);
    }

    private async Task WorkerAsync(Destination destination, (DeliverySettings Settings, RoutingTable Routes, LimitTable Limits, IReadOnlyList<WarmupSchedule> Warmups, DateTimeOffset Until) config)
    {
        var ct = _stop.Token;
        while (true)
        {
            var current = new System.Runtime.CompilerServices.StrongBox<DeliveryJob?>();
            try
            {
                while (destination.Jobs.TryDequeue(out var job)) await SessionAsync(destination, current.Value = job, config, current, ct);
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                current.Value?.Complete(JobResult.HeldBack(Now));
                while (destination.Jobs.TryDequeue(out var left)) left.Complete(JobResult.HeldBack(Now));
            }
            catch (Exception e) when (e is StorageException or IOException or System.Data.Common.DbException or InvalidOperationException or FormatException)
            {
                // The job stays queued (its lease is given back by the settling pass) and is tried again later.
                if (current.Value is { } failed)
                {
                    _log.JobFailed(e, failed.Message.Id);
                    failed.Complete(JobResult.HeldBack(Now + TimeSpan.FromMinutes(1)));
                }
            }
            destination.WorkerStopped();
            if (destination.Jobs.IsEmpty || !destination.TryStartWorker()) return;
        }
    }

    /// <summary>One connection: opens it for <paramref name="first"/> and sends the destination's jobs over it until
    /// the queue is empty, the connection breaks, or the per-connection message limit is reached.</summary>
    private async Task SessionAsync(Destination destination, DeliveryJob first, (DeliverySettings Settings, RoutingTable Routes, LimitTable Limits, IReadOnlyList<WarmupSchedule> Warmups, DateTimeOffset Until) config,
        System.Runtime.CompilerServices.StrongBox<DeliveryJob?> current, CancellationToken ct)
    {
        var now = Now;
        if (destination.RestUntil > now)
        {
            first.Complete(JobResult.HeldBack(destination.RestUntil));
            return;
        }

        var plan = await PlanAsync(destination, first, config.Routes, ct);
        if (plan.Lookup.Outcome != MxLookupOutcome.Hosts)
        {
            Record(first, plan.Lookup.Problem!, null, null);
            first.Complete(JobResult.Done());
            return;
        }

        await _connections.WaitAsync(ct);
        try
        {
            var (connection, failure) = await ConnectAsync(destination, plan, ct);
            if (connection is null)
            {
                destination.Deferred(Now);
                Record(first, failure!, null, null);
                first.Complete(JobResult.Deferred(destination.RestUntil));
                return;
            }

            await using (connection)
            {
                var perConnection = destination.Limit?.MessagesPerConnection is > 0 and var n ? n : config.Settings.MessagesPerConnection;
                var job = first;
                // The outcomes not yet durable of the messages this connection handed over, oldest first.
                var unrecorded = new Queue<Task>(UnrecordedPerConnection);
                while (true)
                {
                    if (!destination.TryTakeRate(Now, out var nextFree))
                    {
                        job.Complete(JobResult.HeldBack(nextFree));
                    }
                    else
                    {
                        // At most UnrecordedPerConnection messages per connection whose outcome is not durable
                        // yet: the bound on what a crash delivers twice. The next message is read and sent while
                        // the earlier ones' commits (shared with the other connections', group commit) are made;
                        // only its final "." waits, for the oldest of them when the window is full.
                        var oldest = unrecorded.Count == UnrecordedPerConnection ? unrecorded.Dequeue() : null;
                        var usable = await DeliverAsync(destination, connection, job, oldest, ct);
                        unrecorded.Enqueue(job.Durable);
                        if (!usable) return;
                    }
                    if (connection.MessagesSent >= perConnection) return;
                    var next = await NextJobAsync(destination, ct);
                    if (next is null) return;
                    current.Value = job = next;
                }
            }
        }
        finally
        {
            _connections.Release();
        }
    }

    /// <summary>The destination's next job; when there is none, waits up to <see cref="OutboundOptions.ConnectionIdle"/>
    /// for one (the next claimed batch) so that the open connection is reused. Null: close the connection.</summary>
    private async Task<DeliveryJob?> NextJobAsync(Destination destination, CancellationToken ct)
    {
        if (destination.Jobs.TryDequeue(out var job)) return job;
        var idle = System.Diagnostics.Stopwatch.StartNew();
        while (idle.Elapsed < _options.ConnectionIdle)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), ct);
            if (destination.Jobs.TryDequeue(out job)) return job;
        }
        return null;
    }

    /// <summary>Messages per connection that the remote server may have taken while their outcomes are not durable
    /// yet (docs/outbound-delivery.md): what a crash at the worst moment delivers twice, per open connection.</summary>
    internal const int UnrecordedPerConnection = 4;

    /// <summary>Sends one job over an open connection and records every recipient's answer before returning. The
    /// final "." of its data waits for <paramref name="beforeEnd"/> (the oldest outcome of a full window).</summary>
    private async Task<bool> DeliverAsync(Destination destination, SmtpDelivery connection, DeliveryJob job, Task? beforeEnd, CancellationToken ct)
    {
        OutgoingMessage content;
        try
        {
            content = QueuedContent.Read(_engine.Blobs, job.Message.BlobHash);
        }
        catch (NotFoundException e)
        {
            // Nothing is sent for this job: the window keeps its place until the oldest outcome is durable.
            if (beforeEnd is not null) await beforeEnd.WaitAsync(ct);
            Record(job, SmtpAnswer.Permanent("5.3.0", $"the queued message file is missing: {e.Message}"), null, null);
            job.Complete(JobResult.Done());
            return true;
        }

        var envelope = new Envelope(
            ReturnPath(job),
            [.. job.Recipients.Select(r => new EnvelopeRecipient(r.Id, r.Address, r.DsnNotify, r.DsnOrcpt))],
            job.Message.DsnRet,
            job.Message.DsnEnvId);
        if (job.Message.Verp)
        {
            // One return path per recipient: each recipient gets its own transaction over the same connection.
            var answered = new HashSet<long>();
            var usable = true;
            foreach (var r in envelope.Recipients)
            {
                var single = envelope with { Sender = VerpPath(job, r.Id), Recipients = [r] };
                var result = await connection.SendAsync(single, content, beforeEnd, ct);
                beforeEnd = null;
                RecordAnswers(destination, connection, job, result, content.MessageId);
                answered.Add(r.Id);
                usable = result.ConnectionUsable;
                if (!usable) break;
            }
            var left = job.Recipients.Where(r => !answered.Contains(r.Id)).ToList();
            if (left.Count > 0)
                Record(job, left, SmtpAnswer.Temporary("4.4.2", $"connection with {connection.Host} lost"), connection.Host, connection.Tls);
            await CompleteAsync(job, JobResult.Done());
            return usable;
        }

        var sent = await connection.SendAsync(envelope, content, beforeEnd, ct);
        RecordAnswers(destination, connection, job, sent, content.MessageId);
        var successNotices = connection.SupportsDsn
            ? []
            : job.Recipients.Where(r => sent.Answers.TryGetValue(r.Id, out var a) && a.IsSuccess && Notifies(r.DsnNotify, "SUCCESS")).Select(r => r.Id).ToList();
        await CompleteAsync(job, JobResult.Done(successNotices));
        return sent.ConnectionUsable;
    }

    /// <summary>Ends a job. A job that is not its message's only one writes its outcomes now (group-committed), so
    /// that its durability never waits for another destination; the only job of a message is written with the
    /// message's settlement.</summary>
    private async Task CompleteAsync(DeliveryJob job, JobResult result)
    {
        if (!job.Alone && job.Outcomes.Count > 0)
        {
            try
            {
                await _settlements.SettleAsync(new QueueSettlement(job.Message.Id, job.Message.BlobHash, [.. job.Outcomes], [.. job.Attempts], [.. job.Events], Remove: false));
                job.Written = true;
            }
            catch (Exception e) when (e is StorageException or IOException or System.Data.Common.DbException)
            {
                // Left to the message's settlement, which writes what is not written yet.
                _log.JobFailed(e, job.Message.Id);
            }
            job.MarkDurable();
        }
        job.Complete(result);
    }

    /// <summary>Keeps each recipient's answer on the job (the settling pass writes them) and adjusts the
    /// destination's concurrency to what it said.</summary>
    private void RecordAnswers(Destination destination, SmtpDelivery connection, DeliveryJob job, SendResult result, string? messageId)
    {
        var now = Now;
        var remoteDeferred = false;
        var delivered = false;
        foreach (var r in job.Recipients)
        {
            if (!result.Answers.TryGetValue(r.Id, out var answer)) continue;
            AddOutcome(job, r, answer, connection.Host, connection.Tls, messageId, now);
            remoteDeferred |= answer.Code == 421 || answer.Status == "4.4.2";
            delivered |= answer.IsSuccess;
        }
        if (remoteDeferred) destination.Deferred(now);
        else if (delivered) destination.Succeeded();
    }

    /// <summary>The same answer for every recipient of a job (a failed lookup or connection, a local error).</summary>
    private void Record(DeliveryJob job, SmtpAnswer answer, DeliveryHost? host, string? tls) => Record(job, job.Recipients, answer, host, tls);

    private void Record(DeliveryJob job, IEnumerable<QueuedRecipient> recipients, SmtpAnswer answer, DeliveryHost? host, string? tls)
    {
        var now = Now;
        foreach (var r in recipients) AddOutcome(job, r, answer, host, tls, null, now);
    }

    private void AddOutcome(DeliveryJob job, QueuedRecipient r, SmtpAnswer answer, DeliveryHost? host, string? tls, string? messageId, DateTimeOffset now)
    {
        var (outcomes, attempts, events) = (job.Outcomes, job.Attempts, job.Events);
        var (state, kind) = answer.IsSuccess ? (OutboundState.Delivered, OutboundEventKind.Delivered)
            : answer.IsPermanent ? (OutboundState.Failed, OutboundEventKind.Bounced)
            : (OutboundState.Queued, OutboundEventKind.Deferred);
        var text = answer.ToString();
        var domain = DomainOf(r.Address);
        outcomes.Add(new RecipientOutcome(r.Id, state, answer.Status, text, host?.Name));
        attempts.Add(new DeliveryAttempt(now, domain, kind.ToString().ToLowerInvariant(), text, r.Address, host?.Name, host is null ? null : $"{host.Address}:{host.Port}", tls));
        var cls = answer.IsSuccess ? null : BounceClassifier.Classify(answer.Status, text).Name();
        events.Add(new OutboundEvent(now, kind, r.Address, job.Message.EnvelopeSender, domain, "smtp", cls, job.Message.Id, job.Message.CreatedAt, r.Id, messageId, answer.Status, text));
        Metrics.Count(domain, kind);
        if (host is null) _log.RecipientWithoutHost(job.Message.Id, r.Address, kind.ToString().ToLowerInvariant(), text);
        else _log.Recipient(job.Message.Id, r.Address, host.ToString(), tls ?? "none", kind.ToString().ToLowerInvariant(), text);
    }

    /// <summary>Tries the plan's hosts in order until one gives a session; records TLS outcomes for reports.</summary>
    private async Task<(SmtpDelivery? Connection, SmtpAnswer? Failure)> ConnectAsync(Destination destination, DeliveryPlan plan, CancellationToken ct)
    {
        SmtpAnswer? failure = null;
        foreach (var host in plan.Lookup.Hosts)
        {
            try
            {
                var connection = await SmtpDelivery.ConnectAsync(host, plan.Tls, _engine.Options.HostName, plan.Auth, _options.ConnectTimeout, _options.CommandTimeout, ct);
                await _tlsReports.CountAsync(plan, host.Name, connection.IsEncrypted ? "success" : "starttls-not-supported", Now, ct);
                return (connection, null);
            }
            catch (DeliveryConnectException e)
            {
                failure = e.Answer;
                _log.HostFailed(destination.Key, host.ToString(), e.Answer.ToString());
                if (e.TlsFailure is { } tlsFailure) await _tlsReports.CountAsync(plan, host.Name, tlsFailure, Now, ct);
                if (e.Answer.IsPermanent) failure = e.Answer with { Code = 451, Status = "4" + e.Answer.Status[1..] };
            }
        }
        return (null, failure ?? SmtpAnswer.Temporary("4.4.1", $"no host of {destination.Key} could be reached"));
    }

    /// <summary>Resolves (and caches for a minute) how to reach the destination: its route, or its MX hosts filtered
    /// by an MTA-STS policy in enforce mode.</summary>
    private async Task<DeliveryPlan> PlanAsync(Destination destination, DeliveryJob job, RoutingTable routes, CancellationToken ct)
    {
        var now = Now;
        if (destination.Plan is { } cached && cached.Until > now) return cached.Plan;
        DeliveryPlan plan;
        if (routes.Find(job.RecipientDomain) is { } route)
        {
            var (hosts, temporary) = await _mx.AddressesAsync(route.Host, 0, route.Port, ct);
            var lookup = hosts.Count > 0 ? new MxLookup(MxLookupOutcome.Hosts, hosts, null)
                : MxLookup.Later(temporary ? $"DNS lookup of the route host {route.Host} failed" : $"The route host {route.Host} has no address");
            var auth = route.AuthUser is { } user ? new NetworkCredential(user, route.AuthPassword ?? "") : null;
            plan = new DeliveryPlan(lookup, route.TlsRequired ? TlsRequirement.Encrypt : TlsRequirement.Opportunistic, auth, null, null, null);
        }
        else
        {
            var lookup = await _mx.ResolveAsync(job.RecipientDomain, _options.MxPort, ct);
            var sts = lookup.Outcome == MxLookupOutcome.Hosts ? await _sts.FindAsync(job.RecipientDomain, ct) : new MtaStsResolver.Lookup(null, null);
            var tls = TlsRequirement.Opportunistic;
            if (sts.Policy is { Mode: MtaStsMode.Enforce } policy)
            {
                tls = TlsRequirement.Verify;
                var allowed = lookup.Hosts.Where(h => policy.Allows(h.Name)).ToList();
                lookup = allowed.Count > 0 ? lookup with { Hosts = allowed }
                    : MxLookup.Later($"no MX host of {job.RecipientDomain} matches its MTA-STS policy");
            }
            plan = new DeliveryPlan(lookup, tls, null, sts.Policy, sts.FetchFailure, job.RecipientDomain);
        }
        destination.Plan = (plan, now + TimeSpan.FromMinutes(1));
        return plan;
    }

    private string ReturnPath(DeliveryJob job) => job.Message.EnvelopeSender;

    private string VerpPath(DeliveryJob job, long recipientId) =>
        job.Message.EnvelopeSender.Contains('@')
            ? Verp.ReturnPath(DomainOf(job.Message.EnvelopeSender), new VerpToken(job.Message.Id, job.Message.CreatedAt, recipientId))
            : job.Message.EnvelopeSender;

    internal static bool Notifies(string? notify, string what) =>
        notify is not null && notify.Split(',', StringSplitOptions.TrimEntries).Contains(what, StringComparer.OrdinalIgnoreCase);
}
