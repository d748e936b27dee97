namespace Estafeta.Storage.Tests;

public abstract class DeliveryWriterTests(StorageBackend backend) : StorageTests(backend)
{
    [Fact]
    public async Task Fifty_concurrent_deliveries_get_unique_consecutive_uids_in_a_few_group_commits()
    {
        var ana = await NewAccountAsync("ana");
        var bea = await Accounts.AddAsync($"bea@{MailAddressCanonical.DomainOf(ana.Address)}", "pw");
        var blobs = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => StoreAsync($"message {i}", new string('x', i * 10))));
        await using var writer = new DeliveryWriter(Db);

        var receipts = await Task.WhenAll(blobs.Select((blob, i) => writer.CommitAsync(new Delivery(
            blob,
            i % 2 == 0 ? [DeliveryTarget.Inbox(ana.Id)] : [DeliveryTarget.Inbox(ana.Id), DeliveryTarget.Named(bea.Id, "inbox")],
            DateTimeOffset.UtcNow,
            Envelope($"message {i}")))));

        var anaUids = receipts.Select(r => r.Copies[0].Uid).Order().ToList();
        var beaUids = receipts.Where(r => r.Copies.Count == 2).Select(r => r.Copies[1].Uid).Order().ToList();
        Assert.Equal(Enumerable.Range(1, 50).Select(i => (long)i), anaUids);
        Assert.Equal(Enumerable.Range(1, 25).Select(i => (long)i), beaUids);
        Assert.True(writer.TransactionsCommitted < 50, $"{writer.TransactionsCommitted} transactions for 50 deliveries");
        Assert.Equal(50, writer.DeliveriesCommitted);

        var anaInbox = await InboxAsync(ana);
        Assert.Equal(51, anaInbox.UidNext);
        Assert.Equal(50, anaInbox.MessageCount);
        Assert.Equal(receipts.Max(r => r.Copies[0].ModSeq), anaInbox.HighestModSeq);
        Assert.Equal(50, receipts.Select(r => r.Copies[0].ModSeq).Distinct().Count());
        Assert.Equal(blobs.Sum(b => b.Size), (await Accounts.GetByIdAsync(ana.Id))!.UsedBytes);
        Assert.Equal(blobs.Where((_, i) => i % 2 == 1).Sum(b => b.Size), (await Accounts.GetByIdAsync(bea.Id))!.UsedBytes);

        var listed = await Mail.ListMessagesAsync(anaInbox.Id);
        Assert.Equal(anaUids, listed.Select(m => m.Uid));
        foreach (var receipt in receipts)
        {
            var message = listed.Single(m => m.Uid == receipt.Copies[0].Uid);
            Assert.Equal(receipt.Copies[0].MessageId, message.Id);
        }
    }

    [Fact]
    public async Task The_spam_score_and_its_reasons_are_stored_with_each_copy_and_kept_by_copy_and_move()
    {
        var ana = await NewAccountAsync("ana");
        var bea = await Accounts.AddAsync($"bea@{MailAddressCanonical.DomainOf(ana.Address)}", "pw");
        await using var writer = new DeliveryWriter(Db);
        var spam = new SpamVerdict(6.5, ["SPF_SOFTFAIL(+1.5): SPF softfail for x.test", "SPAM_PHRASE(+1.5): \"gratis\"\r\nsegunda línea", "DMARC_QUARANTINE(+3.5): quarantine"]);
        await writer.CommitAsync(new Delivery(await StoreAsync("oferta"), [DeliveryTarget.Named(ana.Id, "Junk"), DeliveryTarget.Named(bea.Id, "Junk")],
            DateTimeOffset.UtcNow, Envelope("oferta"), Spam: spam));
        await writer.CommitAsync(new Delivery(await StoreAsync("limpio"), [DeliveryTarget.Named(ana.Id, "Junk")],
            DateTimeOffset.UtcNow, Envelope("limpio"), Spam: new SpamVerdict(0, [])));
        await writer.CommitAsync(new Delivery(await StoreAsync("enviado"), [DeliveryTarget.Named(ana.Id, "Junk")], DateTimeOffset.UtcNow, Envelope("enviado")));

        var anaJunk = (await Mail.GetMailboxAsync(ana.Id, "Junk"))!;
        var listed = await Mail.ListWithSpamVerdictsAsync(anaJunk.Id);
        Assert.Equal(["oferta", "limpio", "enviado"], listed.Select(m => m.Subject));
        Assert.Equal(6.5, listed[0].Spam!.Score);
        Assert.Equal(["SPF_SOFTFAIL(+1.5): SPF softfail for x.test", "SPAM_PHRASE(+1.5): \"gratis\" segunda línea", "DMARC_QUARANTINE(+3.5): quarantine"], listed[0].Spam!.Reasons);
        Assert.Equal(new SpamVerdict(0, []).Score, listed[1].Spam!.Score);
        Assert.Empty(listed[1].Spam!.Reasons);
        Assert.Null(listed[2].Spam);
        var beaJunk = (await Mail.GetMailboxAsync(bea.Id, "Junk"))!;
        Assert.Equal(6.5, Assert.Single(await Mail.ListWithSpamVerdictsAsync(beaJunk.Id)).Spam!.Score);

        await Mail.CopyMessagesAsync(new MailboxKey(ana.Id, anaJunk.Id, anaJunk.UidValidity), [(1, 1)], "Archive", move: false);
        await Mail.CopyMessagesAsync(new MailboxKey(ana.Id, anaJunk.Id, anaJunk.UidValidity), [(1, 2)], "INBOX", move: true);
        var archived = Assert.Single(await Mail.ListWithSpamVerdictsAsync((await Mail.GetMailboxAsync(ana.Id, "Archive"))!.Id));
        Assert.Equal(listed[0].Spam!.Reasons, archived.Spam!.Reasons);
        var inbox = await Mail.ListWithSpamVerdictsAsync((await InboxAsync(ana)).Id);
        Assert.Equal([6.5, 0.0], inbox.Select(m => m.Spam!.Score));
        Assert.Equal(["enviado"], (await Mail.ListWithSpamVerdictsAsync(anaJunk.Id)).Select(m => m.Subject));
    }

    [Fact]
    public async Task One_bad_delivery_in_a_group_fails_alone()
    {
        var account = await NewAccountAsync();
        var blobs = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => StoreAsync($"m{i}")));
        await using var writer = new DeliveryWriter(Db);

        var tasks = blobs.Select((blob, i) => writer.CommitAsync(new Delivery(
            blob,
            [i == 7 ? DeliveryTarget.Inbox(-1) : DeliveryTarget.Inbox(account.Id)],
            DateTimeOffset.UtcNow,
            Envelope($"m{i}")))).ToList();

        var e = await Assert.ThrowsAsync<NotFoundException>(() => tasks[7]);
        Assert.Equal("account -1 does not exist or has no INBOX", e.Message);
        var good = await Task.WhenAll(tasks.Where((_, i) => i != 7));
        Assert.Equal(Enumerable.Range(1, 19).Select(i => (long)i), good.Select(r => r.Copies[0].Uid).Order());
        Assert.Equal(blobs.Where((_, i) => i != 7).Sum(b => b.Size), (await Accounts.GetByIdAsync(account.Id))!.UsedBytes);
    }

    [Fact]
    public async Task Copies_are_returned_in_target_order_with_flags_and_keywords_stored()
    {
        var account = await NewAccountAsync();
        var blob = await StoreAsync("sent copy");
        await using var writer = new DeliveryWriter(Db);

        var receipt = await writer.CommitAsync(new Delivery(
            blob,
            [DeliveryTarget.Named(account.Id, "Sent"), DeliveryTarget.Inbox(account.Id)],
            new DateTimeOffset(2025, 11, 26, 9, 30, 0, TimeSpan.FromHours(1)),
            Envelope("sent copy"),
            MessageFlags.Seen,
            Keywords: ["$Forwarded"]));

        Assert.Equal(["Sent", "INBOX"], await Task.WhenAll(receipt.Copies.Select(async c => (await Mail.GetMailboxByIdAsync(c.MailboxId))!.Name)));
        Assert.Null(receipt.QueueId);
        var sent = Assert.Single(await Mail.ListMessagesAsync(receipt.Copies[0].MailboxId));
        Assert.Equal(MessageFlags.Seen, sent.Flags);
        Assert.Equal(["$Forwarded"], sent.Keywords);
        Assert.Equal(new DateTimeOffset(2025, 11, 26, 8, 30, 0, TimeSpan.Zero), sent.InternalDate);
        Assert.Equal(TimeSpan.Zero, sent.InternalDate.Offset);
        Assert.Equal(2 * blob.Size, (await Accounts.GetByIdAsync(account.Id))!.UsedBytes);
    }

    [Fact]
    public async Task Delivery_to_a_deleted_named_mailbox_falls_back_to_the_inbox()
    {
        var account = await NewAccountAsync();
        await Mail.DeleteMailboxAsync(account.Id, "Junk");
        var blob = await StoreAsync("spam");
        await using var writer = new DeliveryWriter(Db);

        var receipt = await writer.CommitAsync(new Delivery(blob, [DeliveryTarget.Named(account.Id, "Junk")], DateTimeOffset.UtcNow, Envelope("spam")));

        Assert.Equal((await InboxAsync(account)).Id, receipt.Copies[0].MailboxId);
    }

    [Fact]
    public async Task Delivery_whose_message_file_vanished_fails_with_an_explanation()
    {
        var account = await NewAccountAsync();
        var blob = await StoreAsync("gone");
        File.Delete(Db.Blobs.PathOf(blob.Hash));
        await using var writer = new DeliveryWriter(Db);

        var e = await Assert.ThrowsAsync<StorageException>(() => writer.CommitAsync(
            new Delivery(blob, [DeliveryTarget.Inbox(account.Id)], DateTimeOffset.UtcNow, Envelope("gone"))));

        Assert.Contains("was removed before its delivery committed", e.Message, StringComparison.Ordinal);
        Assert.Equal(0, (await InboxAsync(account)).MessageCount);
    }

    [Fact]
    public async Task Delivery_to_a_mailbox_of_another_account_is_refused()
    {
        var ana = await NewAccountAsync("ana");
        var bea = await NewAccountAsync("bea");
        var beaInbox = await InboxAsync(bea);
        var blob = await StoreAsync("wrong");
        await using var writer = new DeliveryWriter(Db);

        await Assert.ThrowsAsync<NotFoundException>(() => writer.CommitAsync(
            new Delivery(blob, [DeliveryTarget.ById(ana.Id, beaInbox.Id)], DateTimeOffset.UtcNow, Envelope("wrong"))));
    }

    [Fact]
    public async Task Delivery_without_targets_or_outbound_envelope_is_rejected_before_queueing()
    {
        var blob = await StoreAsync("nowhere");
        await using var writer = new DeliveryWriter(Db);

        Assert.Throws<ArgumentException>(() => { _ = writer.CommitAsync(new Delivery(blob, [], DateTimeOffset.UtcNow, Envelope("nowhere"))); });
    }

    [Fact]
    public async Task Writer_finishes_pending_deliveries_when_disposed_and_refuses_new_ones()
    {
        var account = await NewAccountAsync();
        var blobs = await Task.WhenAll(Enumerable.Range(0, 10).Select(i => StoreAsync($"late {i}")));
        var writer = new DeliveryWriter(Db);
        var tasks = blobs.Select(b => writer.CommitAsync(new Delivery(b, [DeliveryTarget.Inbox(account.Id)], DateTimeOffset.UtcNow, Envelope("late")))).ToList();

        await writer.DisposeAsync();

        Assert.All(tasks, t => Assert.True(t.IsCompletedSuccessfully));
        Assert.Equal(10, (await InboxAsync(account)).MessageCount);
        Assert.Throws<ObjectDisposedException>(() =>
        {
            _ = writer.CommitAsync(new Delivery(blobs[0], [DeliveryTarget.Inbox(account.Id)], DateTimeOffset.UtcNow, Envelope("late")));
        });
    }

    [Fact]
    public async Task Cancelled_caller_gets_a_cancellation_and_nothing_is_half_written()
    {
        var account = await NewAccountAsync();
        var blob = await StoreAsync("cancel");
        await using var writer = new DeliveryWriter(Db);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var task = writer.CommitAsync(new Delivery(blob, [DeliveryTarget.Inbox(account.Id)], DateTimeOffset.UtcNow, Envelope("cancel")), cancelled.Token);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
        var after = await writer.CommitAsync(new Delivery(blob, [DeliveryTarget.Inbox(account.Id)], DateTimeOffset.UtcNow, Envelope("after")));
        Assert.Equal(1, after.Copies[0].Uid);
        Assert.Equal(1, (await InboxAsync(account)).MessageCount);
    }
}

public sealed class DeliveryWriterOnSqlite(SqliteBackend backend) : DeliveryWriterTests(backend), IClassFixture<SqliteBackend>;

public sealed class DeliveryWriterOnPostgres(PostgresBackend backend) : DeliveryWriterTests(backend), IClassFixture<PostgresBackend>;
