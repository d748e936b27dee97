using System.Text;

namespace Estafeta.Storage.Tests;

public abstract class MailStoreTests(StorageBackend backend) : StorageTests(backend)
{
    [Fact]
    public async Task Delivered_message_is_listed_with_its_envelope_and_content()
    {
        var account = await NewAccountAsync();
        var receipt = await DeliverAsync("¡Hola, José!", account);
        var inbox = await InboxAsync(account);

        var listed = Assert.Single(await Mail.ListMessagesAsync(inbox.Id));
        var stored = (await Mail.GetMessageAsync(inbox.Id, listed.Uid))!;

        Assert.Equal(receipt.Copies[0].MessageId, listed.Id);
        Assert.Equal(1, listed.Uid);
        Assert.Equal("¡Hola, José!", stored.Envelope.Subject);
        Assert.Equal("Ana <ana@remote.test>", stored.Envelope.From);
        Assert.Null(stored.Envelope.Cc);
        await using var content = Mail.OpenContent(listed);
        using var reader = new StreamReader(content, Encoding.UTF8);
        var text = await reader.ReadToEndAsync();
        Assert.Contains("Subject: ¡Hola, José!", text, StringComparison.Ordinal);
        Assert.Equal(listed.Size, Encoding.UTF8.GetByteCount(text));
    }

    [Fact]
    public async Task Mailbox_summary_counts_messages_unseen_and_bytes()
    {
        var account = await NewAccountAsync();
        var first = await DeliverAsync("one", account);
        await DeliverAsync("two", account);
        await Mail.SetFlagsAsync([first.Copies[0].MessageId], FlagOperation.Add, MessageFlags.Seen);

        var inbox = await InboxAsync(account);
        var messages = await Mail.ListMessagesAsync(inbox.Id);

        Assert.Equal(2, inbox.MessageCount);
        Assert.Equal(1, inbox.UnseenCount);
        Assert.Equal(messages.Sum(m => m.Size), inbox.TotalBytes);
        Assert.Equal(3, inbox.UidNext);
        Assert.Equal(inbox.TotalBytes, (await Accounts.GetByIdAsync(account.Id))!.UsedBytes);
    }

    [Fact]
    public async Task Flags_are_added_removed_and_replaced_and_each_change_raises_the_modseq()
    {
        var account = await NewAccountAsync();
        var receipt = await DeliverAsync("flags", account);
        var id = receipt.Copies[0].MessageId;
        var before = (await InboxAsync(account)).HighestModSeq;

        var added = Assert.Single(await Mail.SetFlagsAsync([id], FlagOperation.Add, MessageFlags.Seen | MessageFlags.Flagged, ["$Important"]));
        Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, added.Flags);
        Assert.Equal(["$Important"], added.Keywords);
        Assert.Equal(before + 1, added.ModSeq);

        var removed = Assert.Single(await Mail.SetFlagsAsync([id], FlagOperation.Remove, MessageFlags.Flagged));
        Assert.Equal(MessageFlags.Seen, removed.Flags);
        Assert.Equal(["$Important"], removed.Keywords);
        Assert.Equal(before + 2, removed.ModSeq);

        var unchanged = Assert.Single(await Mail.SetFlagsAsync([id], FlagOperation.Add, MessageFlags.Seen));
        Assert.Equal(before + 2, unchanged.ModSeq);

        var replaced = Assert.Single(await Mail.SetFlagsAsync([id], FlagOperation.Replace, MessageFlags.Answered, []));
        Assert.Equal(MessageFlags.Answered, replaced.Flags);
        Assert.Empty(replaced.Keywords);

        var inbox = await InboxAsync(account);
        Assert.Equal(replaced.ModSeq, inbox.HighestModSeq);
        var listed = Assert.Single(await Mail.ListMessagesAsync(inbox.Id));
        Assert.Equal(MessageFlags.Answered, listed.Flags);
        Assert.Equal(replaced.ModSeq, listed.ModSeq);
    }

    [Fact]
    public async Task Malformed_keyword_is_rejected()
    {
        var account = await NewAccountAsync();
        var receipt = await DeliverAsync("kw", account);

        await Assert.ThrowsAsync<InvalidInputException>(
            () => Mail.SetFlagsAsync([receipt.Copies[0].MessageId], FlagOperation.Add, MessageFlags.None, ["two words"]));
    }

    [Fact]
    public async Task Expunge_removes_rows_lowers_used_bytes_and_deletes_the_unreferenced_file()
    {
        var account = await NewAccountAsync();
        var keep = await DeliverAsync("keep", account);
        var drop = await DeliverAsync("drop", account);
        var inbox = await InboxAsync(account);
        var messages = await Mail.ListMessagesAsync(inbox.Id);
        var dropped = messages.Single(m => m.Id == drop.Copies[0].MessageId);

        var expunged = await Mail.ExpungeAsync([dropped.Id, 999_999_999]);

        Assert.Equal([new ExpungedMessage(dropped.Id, inbox.Id, 2)], expunged);
        Assert.Equal([keep.Copies[0].MessageId], (await Mail.ListMessagesAsync(inbox.Id)).Select(m => m.Id));
        Assert.False(Db.Blobs.Exists(dropped.BlobHash));
        var kept = messages.Single(m => m.Id == keep.Copies[0].MessageId);
        Assert.Equal(kept.Size, (await Accounts.GetByIdAsync(account.Id))!.UsedBytes);
        Assert.True((await InboxAsync(account)).HighestModSeq > inbox.HighestModSeq);
    }

    [Fact]
    public async Task Identical_content_is_stored_once_and_its_file_outlives_all_but_the_last_reference()
    {
        var ana = await NewAccountAsync("ana");
        var bea = await NewAccountAsync("bea");
        var bytes = MessageBytes("shared");
        await using var writer = new DeliveryWriter(Db);
        var toAna = await writer.CommitAsync(new Delivery(
            await Db.Blobs.WriteAsync(bytes), [DeliveryTarget.Inbox(ana.Id)], DateTimeOffset.UtcNow, Envelope("shared")));
        var toBea = await writer.CommitAsync(new Delivery(
            await Db.Blobs.WriteAsync(bytes), [DeliveryTarget.Inbox(bea.Id)], DateTimeOffset.UtcNow, Envelope("shared")));
        var anaMessage = Assert.Single(await Mail.ListMessagesAsync(toAna.Copies[0].MailboxId));
        var beaMessage = Assert.Single(await Mail.ListMessagesAsync(toBea.Copies[0].MailboxId));
        Assert.Equal(anaMessage.BlobHash, beaMessage.BlobHash);
        Assert.Single(System.IO.Directory.EnumerateFiles(Db.Blobs.MessagesDirectory, anaMessage.BlobHash + ".eml", SearchOption.AllDirectories));

        await Mail.ExpungeAsync([anaMessage.Id]);
        Assert.True(Db.Blobs.Exists(anaMessage.BlobHash));

        await Mail.ExpungeAsync([beaMessage.Id]);
        Assert.False(Db.Blobs.Exists(anaMessage.BlobHash));
    }

    [Fact]
    public async Task Mailbox_can_be_created_renamed_with_its_children_and_deleted()
    {
        var account = await NewAccountAsync();

        var created = await Mail.CreateMailboxAsync(account.Id, "Projects/2025/Q4");
        Assert.Equal("Projects/2025/Q4", created.Name);
        Assert.NotNull(await Mail.GetMailboxAsync(account.Id, "Projects"));
        Assert.NotNull(await Mail.GetMailboxAsync(account.Id, "Projects/2025"));

        await Mail.RenameMailboxAsync(account.Id, "Projects", "Work/Old");

        var names = (await Mail.ListMailboxesAsync(account.Id)).Select(m => m.Name).ToList();
        Assert.Contains("Work", names);
        Assert.Contains("Work/Old", names);
        Assert.Contains("Work/Old/2025/Q4", names);
        Assert.DoesNotContain("Projects", names);
        Assert.Equal(created.UidValidity, (await Mail.GetMailboxAsync(account.Id, "Work/Old/2025/Q4"))!.UidValidity);

        await Mail.DeleteMailboxAsync(account.Id, "Work/Old/2025/Q4");
        Assert.Null(await Mail.GetMailboxAsync(account.Id, "Work/Old/2025/Q4"));
    }

    [Fact]
    public async Task Recreated_mailbox_gets_a_new_uidvalidity()
    {
        var account = await NewAccountAsync();
        var first = await Mail.CreateMailboxAsync(account.Id, "Lists");
        await Mail.DeleteMailboxAsync(account.Id, "Lists");

        var second = await Mail.CreateMailboxAsync(account.Id, "Lists");

        Assert.NotEqual(first.UidValidity, second.UidValidity);
        Assert.InRange(second.UidValidity, 1, uint.MaxValue);
    }

    [Fact]
    public async Task Inbox_is_found_in_any_case_and_cannot_be_renamed_or_deleted()
    {
        var account = await NewAccountAsync();

        Assert.Equal("INBOX", (await Mail.GetMailboxAsync(account.Id, "inbox"))!.Name);
        await Assert.ThrowsAsync<ConflictException>(() => Mail.RenameMailboxAsync(account.Id, "Inbox", "Old"));
        await Assert.ThrowsAsync<ConflictException>(() => Mail.DeleteMailboxAsync(account.Id, "inbox"));
        await Assert.ThrowsAsync<ConflictException>(() => Mail.CreateMailboxAsync(account.Id, "Inbox"));
    }

    [Fact]
    public async Task Mailbox_name_errors_are_reported()
    {
        var account = await NewAccountAsync();

        await Assert.ThrowsAsync<InvalidInputException>(() => Mail.CreateMailboxAsync(account.Id, "a//b"));
        await Assert.ThrowsAsync<InvalidInputException>(() => Mail.CreateMailboxAsync(account.Id, "/top"));
        await Assert.ThrowsAsync<InvalidInputException>(() => Mail.CreateMailboxAsync(account.Id, "star*"));
        await Assert.ThrowsAsync<ConflictException>(() => Mail.CreateMailboxAsync(account.Id, "Sent"));
        await Assert.ThrowsAsync<NotFoundException>(() => Mail.RenameMailboxAsync(account.Id, "Nope", "Other"));
        await Assert.ThrowsAsync<ConflictException>(() => Mail.RenameMailboxAsync(account.Id, "Sent", "Trash"));
        await Assert.ThrowsAsync<ConflictException>(() => Mail.RenameMailboxAsync(account.Id, "Sent", "Sent/Inner"));
    }

    [Fact]
    public async Task Deleting_a_mailbox_releases_its_quota_and_files()
    {
        var account = await NewAccountAsync();
        var lists = await Mail.CreateMailboxAsync(account.Id, "Lists");
        var blob = await StoreAsync("list mail");
        await using (var writer = new DeliveryWriter(Db))
        {
            await writer.CommitAsync(new Delivery(blob, [DeliveryTarget.ById(account.Id, lists.Id)], DateTimeOffset.UtcNow, Envelope("list mail")));
        }

        Assert.Equal(blob.Size, (await Accounts.GetByIdAsync(account.Id))!.UsedBytes);

        await Mail.DeleteMailboxAsync(account.Id, "Lists");

        Assert.Equal(0, (await Accounts.GetByIdAsync(account.Id))!.UsedBytes);
        Assert.False(Db.Blobs.Exists(blob.Hash));
    }

    [Fact]
    public async Task Subscription_can_be_turned_off_and_on()
    {
        var account = await NewAccountAsync();

        await Mail.SetSubscribedAsync(account.Id, "Junk", false);
        Assert.False((await Mail.GetMailboxAsync(account.Id, "Junk"))!.Subscribed);

        await Mail.SetSubscribedAsync(account.Id, "Junk", true);
        Assert.True((await Mail.GetMailboxAsync(account.Id, "Junk"))!.Subscribed);
    }

    [Fact]
    public async Task Envelopes_are_fetched_in_bulk_by_uid()
    {
        var account = await NewAccountAsync();
        await DeliverAsync("first", account);
        await DeliverAsync("second", account);
        var inbox = await InboxAsync(account);

        var envelopes = await Mail.GetEnvelopesAsync(inbox.Id, [1, 2, 3]);

        Assert.Equal(["first", "second"], envelopes.OrderBy(e => e.Key).Select(e => e.Value.Subject));
    }
}

public sealed class MailStoreOnSqlite(SqliteBackend backend) : MailStoreTests(backend), IClassFixture<SqliteBackend>;

public sealed class MailStoreOnPostgres(PostgresBackend backend) : MailStoreTests(backend), IClassFixture<PostgresBackend>;
