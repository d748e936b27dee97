namespace Estafeta.Storage.Tests;

public abstract class OutboundQueueTests(StorageBackend backend) : StorageTests(backend)
{
    [Fact]
    public async Task Enqueued_message_is_listed_with_its_envelope_and_dsn_parameters()
    {
        var account = await NewAccountAsync();
        var blob = await StoreAsync("outbound");
        await using var writer = new DeliveryWriter(Db);

        var receipt = await writer.CommitAsync(new Delivery(
            blob,
            [],
            DateTimeOffset.UtcNow,
            Envelope("outbound"),
            Outbound: new OutboundMessage(
                account.Address,
                [new OutboundRecipient("Ana@Remote.test", "SUCCESS,FAILURE", "rfc822;Ana@Remote.test"), new OutboundRecipient("bea@remote.test")],
                account.Id,
                DsnRet: "HDRS",
                DsnEnvId: "QQ314159")));

        var id = Assert.NotNull(receipt.QueueId);
        Assert.Empty(receipt.Copies);
        var queued = (await Queue.GetAsync(id))!;
        Assert.Equal(blob.Hash, queued.BlobHash);
        Assert.Equal(blob.Size, queued.Size);
        Assert.Equal(account.Address, queued.EnvelopeSender);
        Assert.Equal(account.Id, queued.AccountId);
        Assert.Equal("HDRS", queued.DsnRet);
        Assert.Equal("QQ314159", queued.DsnEnvId);
        Assert.Equal(OutboundState.Queued, queued.State);
        Assert.Equal(0, queued.Attempts);
        Assert.Equal(
            [("Ana@Remote.test", "SUCCESS,FAILURE", "rfc822;Ana@Remote.test"), ("bea@remote.test", null, null)],
            queued.Recipients.Select(r => (r.Address, r.DsnNotify, r.DsnOrcpt)));
        Assert.All(queued.Recipients, r => Assert.Equal(OutboundState.Queued, r.State));
        Assert.Contains(await Queue.ListAsync(), q => q.Id == id);
    }

    [Fact]
    public async Task Null_sender_bounce_can_be_queued()
    {
        var blob = await StoreAsync("bounce");
        await using var writer = new DeliveryWriter(Db);

        var receipt = await writer.CommitAsync(new Delivery(
            blob, [], DateTimeOffset.UtcNow, Envelope("bounce"), Outbound: new OutboundMessage("", [new OutboundRecipient("ana@remote.test")])));

        var queued = (await Queue.GetAsync(receipt.QueueId!.Value))!;
        Assert.Equal("", queued.EnvelopeSender);
        Assert.Null(queued.AccountId);
    }

    [Fact]
    public async Task Submission_files_a_sent_copy_and_queues_in_one_delivery()
    {
        var account = await NewAccountAsync();
        var blob = await StoreAsync("submitted");
        await using var writer = new DeliveryWriter(Db);

        var receipt = await writer.CommitAsync(new Delivery(
            blob,
            [DeliveryTarget.Named(account.Id, "Sent")],
            DateTimeOffset.UtcNow,
            Envelope("submitted"),
            MessageFlags.Seen,
            new OutboundMessage(account.Address, [new OutboundRecipient("ana@remote.test")], account.Id)));

        Assert.NotNull(receipt.QueueId);
        var sentCopy = Assert.Single(receipt.Copies);
        Assert.Equal(1, sentCopy.Uid);
        Assert.Equal(blob.Hash, (await Queue.GetAsync(receipt.QueueId!.Value))!.BlobHash);
    }

    [Fact]
    public async Task Deleting_a_queue_entry_removes_its_file_unless_a_mailbox_still_holds_it()
    {
        var account = await NewAccountAsync();
        var onlyQueued = await StoreAsync("only queued");
        var alsoSent = await StoreAsync("also sent");
        await using var writer = new DeliveryWriter(Db);
        var first = await writer.CommitAsync(new Delivery(
            onlyQueued, [], DateTimeOffset.UtcNow, Envelope("q"), Outbound: new OutboundMessage(account.Address, [new OutboundRecipient("x@remote.test")])));
        var second = await writer.CommitAsync(new Delivery(
            alsoSent, [DeliveryTarget.Named(account.Id, "Sent")], DateTimeOffset.UtcNow, Envelope("s"),
            Outbound: new OutboundMessage(account.Address, [new OutboundRecipient("x@remote.test")])));

        await Queue.DeleteAsync(first.QueueId!.Value);
        await Queue.DeleteAsync(second.QueueId!.Value);

        Assert.Null(await Queue.GetAsync(first.QueueId!.Value));
        Assert.False(Db.Blobs.Exists(onlyQueued.Hash));
        Assert.True(Db.Blobs.Exists(alsoSent.Hash));
        var e = await Assert.ThrowsAsync<NotFoundException>(() => Queue.DeleteAsync(first.QueueId!.Value));
        Assert.Equal($"queue entry {first.QueueId} does not exist", e.Message);
    }

    [Fact]
    public async Task Expunging_the_sent_copy_keeps_the_file_while_it_is_still_queued()
    {
        var account = await NewAccountAsync();
        var blob = await StoreAsync("pending");
        await using var writer = new DeliveryWriter(Db);
        var receipt = await writer.CommitAsync(new Delivery(
            blob, [DeliveryTarget.Named(account.Id, "Sent")], DateTimeOffset.UtcNow, Envelope("p"),
            Outbound: new OutboundMessage(account.Address, [new OutboundRecipient("x@remote.test")])));

        await Mail.ExpungeAsync([receipt.Copies[0].MessageId]);
        Assert.True(Db.Blobs.Exists(blob.Hash));

        await Queue.DeleteAsync(receipt.QueueId!.Value);
        Assert.False(Db.Blobs.Exists(blob.Hash));
    }

    [Fact]
    public async Task Due_entries_are_those_whose_next_attempt_has_come()
    {
        var blob = await StoreAsync("later");
        var now = DateTimeOffset.UtcNow;
        await using var writer = new DeliveryWriter(Db);
        var due = await writer.CommitAsync(new Delivery(
            blob, [], now, Envelope("d"), Outbound: new OutboundMessage("a@remote.test", [new OutboundRecipient("x@remote.test")], NextAttemptAt: now.AddMinutes(-1))));
        var later = await writer.CommitAsync(new Delivery(
            blob, [], now, Envelope("l"), Outbound: new OutboundMessage("a@remote.test", [new OutboundRecipient("x@remote.test")], NextAttemptAt: now.AddHours(1))));

        var dueIds = (await Queue.ListDueAsync(now, 1000)).Select(q => q.Id).ToList();

        Assert.Contains(due.QueueId!.Value, dueIds);
        Assert.DoesNotContain(later.QueueId!.Value, dueIds);
    }
}

public sealed class OutboundQueueOnSqlite(SqliteBackend backend) : OutboundQueueTests(backend), IClassFixture<SqliteBackend>;

public sealed class OutboundQueueOnPostgres(PostgresBackend backend) : OutboundQueueTests(backend), IClassFixture<PostgresBackend>;
