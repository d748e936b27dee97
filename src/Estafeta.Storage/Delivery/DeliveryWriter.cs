using System.Data.Common;
using System.Threading.Channels;
using Dapper;

namespace Estafeta.Storage;

/// <summary>
/// The durable write path for new messages, with group commit. Callers (20 SMTP sessions at once) each await
/// <see cref="CommitAsync"/>; a single background loop drains everything pending, writes it in ONE transaction
/// (UIDs from each mailbox's UIDNEXT, modseqs, used bytes, queue rows), commits once (one fsync for the whole
/// group on SQLite with synchronous=FULL; one WAL flush on PostgreSQL), then completes every waiter. When that
/// returns, the message is durable and SMTP may answer 250.
/// </summary>
/// <remarks>
/// If a group fails, each of its deliveries is retried in a transaction of its own, so one bad delivery (an
/// unknown mailbox, say) fails only its own caller. A caller whose token is cancelled before the loop takes its
/// delivery gets a cancellation and nothing is written; once taken, the delivery completes regardless.
/// Quotas are the caller's business: the writer records what it is given.
/// </remarks>
public sealed class DeliveryWriter : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly Database db;
    private readonly Channel<Pending> channel = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions
    {
        SingleReader = true,
        SingleWriter = false,
    });

    private readonly Task loop;
    private long transactions;
    private long delivered;

    public DeliveryWriter(Database db)
    {
        this.db = db;
        loop = Task.Run(RunAsync);
    }

    /// <summary>How many group transactions have committed; with <see cref="DeliveriesCommitted"/> it shows how well commits are grouped.</summary>
    public long TransactionsCommitted => Interlocked.Read(ref transactions);

    public long DeliveriesCommitted => Interlocked.Read(ref delivered);

    /// <summary>Makes <paramref name="delivery"/> durable; returns the UID each target copy got and the queue id.</summary>
    public Task<DeliveryReceipt> CommitAsync(Delivery delivery, CancellationToken ct = default)
    {
        Validate(delivery);
        var pending = new Pending(delivery);
        if (ct.CanBeCanceled)
        {
            pending.Registration = ct.Register(static (state, token) => ((Pending)state!).TryCancel(token), pending);
        }

        if (!channel.Writer.TryWrite(pending))
        {
            pending.Registration.Dispose();
            throw new ObjectDisposedException(nameof(DeliveryWriter), "the delivery writer is shut down");
        }

        return pending.Completion.Task;
    }

    /// <summary>Writes what is pending, then stops. Later <see cref="CommitAsync"/> calls throw.</summary>
    public async ValueTask DisposeAsync()
    {
        channel.Writer.TryComplete();
        await loop.ConfigureAwait(false);
    }

    private static void Validate(Delivery delivery)
    {
        ArgumentNullException.ThrowIfNull(delivery);
        ArgumentNullException.ThrowIfNull(delivery.Blob);
        if (!BlobStore.IsHash(delivery.Blob.Hash))
        {
            throw new ArgumentException("the delivery's blob is not a committed BlobRef", nameof(delivery));
        }

        if (delivery.Targets.Count == 0 && delivery.Outbound is null)
        {
            throw new ArgumentException("a delivery needs at least one target mailbox or an outbound envelope", nameof(delivery));
        }

        if (delivery.Outbound is { Recipients.Count: 0 })
        {
            throw new ArgumentException("an outbound delivery needs at least one recipient", nameof(delivery));
        }

        foreach (var target in delivery.Targets)
        {
            if (target.MailboxName is null == target.MailboxId is null)
            {
                throw new ArgumentException("each delivery target names a mailbox by name or by id (exactly one)", nameof(delivery));
            }
        }

        MailStore.ValidateKeywords(delivery.Keywords);
    }

    private async Task RunAsync()
    {
        var reader = channel.Reader;
        var batch = new List<Pending>(MaxBatch);
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && reader.TryRead(out var pending))
            {
                if (pending.TryTake())
                {
                    batch.Add(pending);
                }
            }

            if (batch.Count > 0)
            {
                await WriteGroupAsync(batch).ConfigureAwait(false);
            }
        }
    }

    private async Task WriteGroupAsync(List<Pending> batch)
    {
        try
        {
            var receipts = await WriteAsync(batch.Select(p => p.Delivery).ToList()).ConfigureAwait(false);
            for (var i = 0; i < batch.Count; i++)
            {
                batch[i].Complete(receipts[i]);
            }

            return;
        }
        catch (Exception e) when (batch.Count == 1)
        {
            batch[0].Fail(Wrap(e));
            return;
        }
        catch (Exception)
        {
            // Fall through: find the culprit by writing each delivery on its own.
        }

        foreach (var pending in batch)
        {
            try
            {
                var receipts = await WriteAsync([pending.Delivery]).ConfigureAwait(false);
                pending.Complete(receipts[0]);
            }
            catch (Exception e)
            {
                pending.Fail(Wrap(e));
            }
        }
    }

    private static Exception Wrap(Exception e) =>
        e is StorageException or ArgumentException ? e : new StorageException($"the message could not be stored: {e.Message}", e);

    private async Task<DeliveryReceipt[]> WriteAsync(IReadOnlyList<Delivery> deliveries)
    {
        var ct = CancellationToken.None;
        await using var connection = await db.OpenAsync(ct).ConfigureAwait(false);
        await using var tx = await db.Dialect.BeginWriteAsync(connection, ct).ConfigureAwait(false);

        // 1. The content must still be there (see BlobCollector); the lock keeps it there until commit.
        var hashes = deliveries.Select(d => d.Blob.Hash).Distinct(StringComparer.Ordinal).ToList();
        await db.Dialect.LockBlobsAsync(connection, tx, hashes, exclusive: false, ct).ConfigureAwait(false);
        foreach (var hash in hashes)
        {
            if (!db.Blobs.Exists(hash))
            {
                throw new StorageException($"message file {hash} was removed before its delivery committed; write the content again");
            }
        }

        // 2. Resolve every target to a mailbox id.
        var mailboxOf = new Dictionary<DeliveryTarget, (long MailboxId, long AccountId)>();
        foreach (var target in deliveries.SelectMany(d => d.Targets).Distinct())
        {
            mailboxOf[target] = await ResolveTargetAsync(connection, tx, target, ct).ConfigureAwait(false);
        }

        // 3. Reserve UIDs and modseqs: one UPDATE per mailbox, in id order.
        var next = new Dictionary<long, (long Uid, long ModSeq)>();
        var highest = new Dictionary<long, long>();
        foreach (var group in deliveries.SelectMany(d => d.Targets).GroupBy(t => mailboxOf[t].MailboxId).OrderBy(g => g.Key))
        {
            var count = (long)group.Count();
            var reserved = await connection.QuerySingleAsync<(long UidNext, long HighestModSeq)>(new CommandDefinition(
                """
                UPDATE mailboxes SET uid_next = uid_next + @count, highest_modseq = highest_modseq + @count
                WHERE id = @mailboxId
                RETURNING uid_next, highest_modseq
                """,
                new { count, mailboxId = group.Key }, tx, cancellationToken: ct)).ConfigureAwait(false);
            next[group.Key] = (reserved.UidNext - count, reserved.HighestModSeq - count + 1);
            highest[group.Key] = reserved.HighestModSeq;
        }

        // 4. Used bytes, per account in id order.
        foreach (var account in deliveries
            .SelectMany(d => d.Targets.Select(t => (Account: mailboxOf[t].AccountId, d.Blob.Size)))
            .GroupBy(x => x.Account)
            .OrderBy(g => g.Key))
        {
            await connection.ExecuteAsync(new CommandDefinition(
                "UPDATE accounts SET used_bytes = used_bytes + @bytes WHERE id = @accountId",
                new { bytes = account.Sum(x => x.Size), accountId = account.Key }, tx, cancellationToken: ct)).ConfigureAwait(false);
        }

        // 5. The rows.
        var receipts = new DeliveryReceipt[deliveries.Count];
        for (var i = 0; i < deliveries.Count; i++)
        {
            var delivery = deliveries[i];
            var copies = new List<DeliveredCopy>(delivery.Targets.Count);
            foreach (var target in delivery.Targets)
            {
                var (mailboxId, accountId) = mailboxOf[target];
                var (uid, modseq) = next[mailboxId];
                next[mailboxId] = (uid + 1, modseq + 1);
                var messageId = await InsertMessageAsync(connection, tx, delivery, mailboxId, uid, modseq, ct).ConfigureAwait(false);
                copies.Add(new DeliveredCopy(target, accountId, mailboxId, messageId, uid, modseq));
            }

            var queueId = delivery.Outbound is null
                ? (long?)null
                : await OutboundQueueStore.InsertAsync(connection, tx, db, delivery.Blob, delivery.Outbound, ct).ConfigureAwait(false);
            receipts[i] = new DeliveryReceipt(copies, queueId);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        foreach (var (mailboxId, modseq) in highest)
        {
            db.Changes.Publish(mailboxId, modseq);
        }

        Interlocked.Increment(ref transactions);
        Interlocked.Add(ref delivered, deliveries.Count);
        return receipts;
    }

    private static async Task<(long MailboxId, long AccountId)> ResolveTargetAsync(
        DbConnection connection, DbTransaction tx, DeliveryTarget target, CancellationToken ct)
    {
        if (target.MailboxId is { } id)
        {
            var found = await connection.QuerySingleOrDefaultAsync<long?>(new CommandDefinition(
                "SELECT id FROM mailboxes WHERE id = @id AND account_id = @accountId",
                new { id, accountId = target.AccountId }, tx, cancellationToken: ct)).ConfigureAwait(false);
            return found is null
                ? throw new NotFoundException($"mailbox {id} of account {target.AccountId} does not exist")
                : (id, target.AccountId);
        }

        // A named mailbox the user deleted (say Junk) falls back to INBOX, as Dovecot's LDA does, so filing
        // policy never turns into a delivery failure.
        var name = MailboxName.Normalize(target.MailboxName!);
        var byName = await connection.QueryAsync<(long Id, string Name)>(new CommandDefinition(
            "SELECT id, name FROM mailboxes WHERE account_id = @accountId AND (name = @name OR name = @inbox)",
            new { accountId = target.AccountId, name, inbox = MailboxName.Inbox }, tx, cancellationToken: ct)).ConfigureAwait(false);
        var chosen = byName.OrderBy(m => m.Name == name ? 0 : 1).Select(m => (long?)m.Id).FirstOrDefault();
        return chosen is null
            ? throw new NotFoundException($"account {target.AccountId} does not exist or has no INBOX")
            : (chosen.Value, target.AccountId);
    }

    private static Task<long> InsertMessageAsync(
        DbConnection connection, DbTransaction tx, Delivery delivery, long mailboxId, long uid, long modseq, CancellationToken ct)
    {
        var e = delivery.Envelope ?? MessageEnvelope.Empty;
        return connection.QuerySingleAsync<long>(new CommandDefinition(
            """
            INSERT INTO messages (mailbox_id, uid, modseq, blob_hash, size, internal_date, flags, keywords,
                env_date, env_subject, env_from, env_sender, env_reply_to, env_to, env_cc, env_bcc, env_in_reply_to, env_message_id,
                spam_score, spam_reasons)
            VALUES (@mailboxId, @uid, @modseq, @hash, @size, @internalDate, @flags, @keywords,
                @date, @subject, @from, @sender, @replyTo, @to, @cc, @bcc, @inReplyTo, @messageId,
                @spamScore, @spamReasons)
            RETURNING id
            """,
            new
            {
                mailboxId,
                uid,
                modseq,
                hash = delivery.Blob.Hash,
                size = delivery.Blob.Size,
                internalDate = delivery.InternalDate.ToUnixTimeMilliseconds(),
                flags = (long)delivery.Flags,
                keywords = Rows.JoinKeywords(delivery.Keywords),
                date = e.Date,
                subject = e.Subject,
                from = e.From,
                sender = e.Sender,
                replyTo = e.ReplyTo,
                to = e.To,
                cc = e.Cc,
                bcc = e.Bcc,
                inReplyTo = e.InReplyTo,
                messageId = e.MessageId,
                spamScore = delivery.Spam?.Score,
                spamReasons = delivery.Spam?.JoinedReasons(),
            },
            tx,
            cancellationToken: ct));
    }

    private sealed class Pending(Delivery delivery)
    {
        private const int Waiting = 0;
        private const int Taken = 1;
        private const int Cancelled = 2;
        private int state;

        public Delivery Delivery { get; } = delivery;

        public TaskCompletionSource<DeliveryReceipt> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public CancellationTokenRegistration Registration { get; set; }

        public bool TryTake() => Interlocked.CompareExchange(ref state, Taken, Waiting) == Waiting;

        public void TryCancel(CancellationToken token)
        {
            if (Interlocked.CompareExchange(ref state, Cancelled, Waiting) == Waiting)
            {
                Completion.TrySetCanceled(token);
            }
        }

        public void Complete(DeliveryReceipt receipt)
        {
            Registration.Dispose();
            Completion.TrySetResult(receipt);
        }

        public void Fail(Exception e)
        {
            Registration.Dispose();
            Completion.TrySetException(e);
        }
    }
}
