using System.Text;

namespace Estafeta.Storage.Tests;

/// <summary>The mail store calls behind IMAP: reads and changes by UID, copy and move, CONDSTORE, VANISHED, and the change feed.</summary>
public abstract class ImapMailStoreTests(StorageBackend backend) : StorageTests(backend)
{
    private static readonly (long First, long Last)[] All = [(1, long.MaxValue)];

    private async Task<MailboxKey> KeyAsync(Account account, string name = "INBOX") =>
        (await Mail.GetMailboxInfoAsync(account.Id, name))!.Key;

    private async Task<DeliveredCopy> FileAsync(
        DeliveryWriter writer, Account account, MailboxKey mailbox, string subject,
        MessageFlags flags = MessageFlags.None, IReadOnlyList<string>? keywords = null, DateTimeOffset? date = null)
    {
        var blob = await StoreAsync(subject);
        var receipt = await writer.CommitAsync(new Delivery(
            blob, [DeliveryTarget.ById(account.Id, mailbox.Id)], date ?? DateTimeOffset.UtcNow, Envelope(subject), flags, Keywords: keywords));
        return receipt.Copies[0];
    }

    [Fact]
    public async Task Copy_keeps_flags_keywords_and_dates_and_numbers_the_copies_in_source_uid_order()
    {
        var account = await NewAccountAsync();
        var inbox = await KeyAsync(account);
        var archive = await KeyAsync(account, "Archive");
        await using var writer = new DeliveryWriter(Db);
        var date = new DateTimeOffset(2025, 3, 4, 5, 6, 7, TimeSpan.Zero);
        await FileAsync(writer, account, archive, "already there");
        await FileAsync(writer, account, inbox, "one", MessageFlags.Seen, ["$Label1"], date);
        await FileAsync(writer, account, inbox, "two", MessageFlags.Flagged, null, date.AddDays(1));
        await FileAsync(writer, account, inbox, "three");
        var usedBefore = (await Accounts.GetByIdAsync(account.Id))!.UsedBytes;
        var archiveModSeq = (await Mail.GetMailboxInfoAsync(account.Id, "Archive"))!.HighestModSeq;

        var copy = await Mail.CopyMessagesAsync(inbox, [(2, 3), (1, 1)], "Archive", move: false);

        Assert.Equal([1, 2, 3], copy.SourceUids);
        Assert.Equal([2, 3, 4], copy.TargetUids);
        Assert.Equal(archive.UidValidity, copy.TargetUidValidity);
        Assert.Equal(archiveModSeq + 1, copy.TargetModSeq);
        var sources = await Mail.ListMessagesAsync(inbox, All);
        var copies = await Mail.ListMessagesAsync(archive, [(2, 4)]);
        Assert.Equal(sources.Select(m => (m.Flags, string.Join(' ', m.Keywords), m.InternalDate, m.BlobHash, m.Size)),
            copies.Select(m => (m.Flags, string.Join(' ', m.Keywords), m.InternalDate, m.BlobHash, m.Size)));
        Assert.All(copies, m => Assert.Equal(copy.TargetModSeq, m.ModSeq));
        Assert.Equal(["one", "two", "three"], (await Mail.GetEnvelopesAsync(archive.Id, [2, 3, 4])).OrderBy(e => e.Key).Select(e => e.Value.Subject));
        Assert.Equal(usedBefore + sources.Sum(m => m.Size), (await Accounts.GetByIdAsync(account.Id))!.UsedBytes);
        Assert.Equal(5, (await Mail.GetMailboxInfoAsync(account.Id, "Archive"))!.UidNext);
    }

    [Fact]
    public async Task Move_expunges_the_sources_in_the_same_transaction_and_reports_them_as_vanished()
    {
        var account = await NewAccountAsync();
        var inbox = await KeyAsync(account);
        await using var writer = new DeliveryWriter(Db);
        for (var i = 0; i < 4; i++) await FileAsync(writer, account, inbox, "m" + i);
        var usedBefore = (await Accounts.GetByIdAsync(account.Id))!.UsedBytes;
        var before = (await Mail.GetMailboxInfoAsync(account.Id, "INBOX"))!.HighestModSeq;

        var move = await Mail.CopyMessagesAsync(inbox, [(2, 3)], "Trash", move: true);

        Assert.Equal([2, 3], move.SourceUids);
        Assert.Equal([1, 2], move.TargetUids);
        Assert.Equal(before + 1, move.SourceModSeq);
        Assert.Equal([1, 4], await Mail.ListUidsAsync(inbox));
        Assert.Equal([1, 2], await Mail.ListUidsAsync(await KeyAsync(account, "Trash")));
        var changes = (await Mail.GetChangesSinceAsync(inbox, before))!;
        Assert.Equal([2, 3], changes.Vanished);
        Assert.Empty(changes.Changed);
        Assert.Equal(move.SourceModSeq, changes.HighestModSeq);
        Assert.Equal(usedBefore, (await Accounts.GetByIdAsync(account.Id))!.UsedBytes);
    }

    [Fact]
    public async Task Copy_that_does_not_fit_the_quota_copies_nothing()
    {
        var account = await NewAccountAsync();
        var inbox = await KeyAsync(account);
        await using var writer = new DeliveryWriter(Db);
        await FileAsync(writer, account, inbox, "a");
        await FileAsync(writer, account, inbox, "b");
        var used = (await Accounts.GetByIdAsync(account.Id))!.UsedBytes;
        await Accounts.SetQuotaAsync(account.Address, used + 10);
        var trash = (await Mail.GetMailboxInfoAsync(account.Id, "Trash"))!;

        await Assert.ThrowsAsync<QuotaExceededException>(() => Mail.CopyMessagesAsync(inbox, All, "Trash", move: false));

        Assert.Empty(await Mail.ListUidsAsync(trash.Key));
        Assert.Equal(trash, await Mail.GetMailboxInfoAsync(account.Id, "Trash"));
        Assert.Equal(used, (await Accounts.GetByIdAsync(account.Id))!.UsedBytes);
        var moved = await Mail.CopyMessagesAsync(inbox, All, "Trash", move: true);
        Assert.Equal([1, 2], moved.TargetUids);
    }

    [Fact]
    public async Task Copy_to_a_mailbox_that_does_not_exist_or_belongs_to_another_account_is_not_found()
    {
        var account = await NewAccountAsync();
        var other = await NewAccountAsync("other");
        await Mail.CreateMailboxAsync(other.Id, "Private");
        var inbox = await KeyAsync(account);
        await using var writer = new DeliveryWriter(Db);
        await FileAsync(writer, account, inbox, "a");

        await Assert.ThrowsAsync<NotFoundException>(() => Mail.CopyMessagesAsync(inbox, All, "Nowhere", move: false));
        await Assert.ThrowsAsync<NotFoundException>(() => Mail.CopyMessagesAsync(inbox, All, "Private", move: true));
        Assert.Equal([1], await Mail.ListUidsAsync(inbox));
    }

    [Fact]
    public async Task Unchanged_since_refuses_the_messages_changed_after_it_and_changes_the_rest()
    {
        var account = await NewAccountAsync();
        var inbox = await KeyAsync(account);
        await using var writer = new DeliveryWriter(Db);
        await FileAsync(writer, account, inbox, "a");
        await FileAsync(writer, account, inbox, "b");
        await FileAsync(writer, account, inbox, "c");
        var seen = await Mail.SetFlagsAsync(inbox, [(2, 2)], FlagOperation.Add, MessageFlags.Seen, null);
        var limit = seen.Messages[0].ModSeq - 1;

        var update = await Mail.SetFlagsAsync(inbox, All, FlagOperation.Add, MessageFlags.Flagged, ["$Todo"], unchangedSince: limit);

        Assert.Equal([2], update.FailedUids);
        Assert.Equal([1, 3], update.Messages.Select(m => m.Uid));
        Assert.All(update.Messages, m => Assert.Equal((MessageFlags.Flagged, "$Todo", seen.Messages[0].ModSeq + 1), (m.Flags, string.Join(' ', m.Keywords), m.ModSeq)));
        var stored = await Mail.ListMessagesAsync(inbox, All);
        Assert.Equal([MessageFlags.Flagged, MessageFlags.Seen, MessageFlags.Flagged], stored.Select(m => m.Flags));

        var unchanged = await Mail.SetFlagsAsync(inbox, [(1, 1)], FlagOperation.Add, MessageFlags.Flagged, null, unchangedSince: update.Messages[0].ModSeq);
        Assert.Empty(unchanged.FailedUids);
        Assert.Equal(update.Messages[0].ModSeq, Assert.Single(unchanged.Messages).ModSeq);
    }

    [Fact]
    public async Task Changes_since_a_modseq_list_new_and_reflagged_messages_and_every_kind_of_expunge()
    {
        var account = await NewAccountAsync();
        var inbox = await KeyAsync(account);
        await using var writer = new DeliveryWriter(Db);
        var first = await FileAsync(writer, account, inbox, "a");
        var second = await FileAsync(writer, account, inbox, "b");
        await FileAsync(writer, account, inbox, "c");
        await FileAsync(writer, account, inbox, "d");
        var since = (await Mail.GetMailboxInfoAsync(account.Id, "INBOX"))!.HighestModSeq;

        await Mail.SetFlagsAsync(inbox, [(3, 3)], FlagOperation.Add, MessageFlags.Deleted, null);
        var expunge = await Mail.ExpungeDeletedAsync(inbox);
        await Mail.ExpungeAsync([second.MessageId]);
        await Mail.SetFlagsAsync([first.MessageId], FlagOperation.Add, MessageFlags.Answered);
        await FileAsync(writer, account, inbox, "e");

        var changes = (await Mail.GetChangesSinceAsync(inbox, since))!;
        Assert.Equal([3], expunge.Uids);
        Assert.Equal([2, 3], changes.Vanished);
        Assert.Equal([1, 5], changes.Changed.Select(m => m.Uid));
        Assert.Equal(MessageFlags.Answered, changes.Changed[0].Flags);
        Assert.Equal(6, changes.UidNext);
        Assert.Equal((await Mail.GetMailboxInfoAsync(account.Id, "INBOX"))!.HighestModSeq, changes.HighestModSeq);
        Assert.Equal([2], (await Mail.GetChangesSinceAsync(inbox, expunge.ModSeq))!.Vanished);
        Assert.Empty((await Mail.GetChangesSinceAsync(inbox, changes.HighestModSeq))!.Changed);
    }

    [Fact]
    public async Task Uid_expunge_removes_only_deleted_messages_within_the_set_and_releases_their_bytes()
    {
        var account = await NewAccountAsync();
        var inbox = await KeyAsync(account);
        await using var writer = new DeliveryWriter(Db);
        for (var i = 0; i < 4; i++) await FileAsync(writer, account, inbox, "m" + i, MessageFlags.Deleted);
        await Mail.SetFlagsAsync(inbox, [(4, 4)], FlagOperation.Remove, MessageFlags.Deleted, null);

        var expunged = await Mail.ExpungeDeletedAsync(inbox, [(2, 4)]);

        Assert.Equal([2, 3], expunged.Uids);
        Assert.Equal([1, 4], await Mail.ListUidsAsync(inbox));
        var remaining = await Mail.ListMessagesAsync(inbox, All);
        Assert.Equal(remaining.Sum(m => m.Size), (await Accounts.GetByIdAsync(account.Id))!.UsedBytes);
        Assert.Equal(new MailboxExpunge([], 0), await Mail.ExpungeDeletedAsync(inbox, [(4, 9)]));
    }

    [Fact]
    public async Task Overview_lists_every_uid_the_keywords_in_use_and_the_first_unseen_message()
    {
        var account = await NewAccountAsync();
        var inbox = await KeyAsync(account);
        await using var writer = new DeliveryWriter(Db);
        await FileAsync(writer, account, inbox, "a", MessageFlags.Seen, ["$Work"]);
        await FileAsync(writer, account, inbox, "b", MessageFlags.None, ["$Home", "$work"]);
        await FileAsync(writer, account, inbox, "c");

        var overview = (await Mail.GetOverviewAsync(inbox))!;

        Assert.Equal([1, 2, 3], overview.Uids);
        Assert.Equal(4, overview.UidNext);
        Assert.Equal(2, overview.FirstUnseenUid);
        Assert.Equal(["$Home", "$Work"], overview.Keywords);
        var empty = (await Mail.GetOverviewAsync(await KeyAsync(account, "Drafts")))!;
        Assert.Empty(empty.Uids);
        Assert.Null(empty.FirstUnseenUid);
    }

    [Fact]
    public async Task Many_scattered_uid_ranges_select_exactly_those_messages()
    {
        var account = await NewAccountAsync();
        var inbox = await KeyAsync(account);
        await using var writer = new DeliveryWriter(Db);
        for (var i = 0; i < 150; i++) await FileAsync(writer, account, inbox, "m" + i);
        var odd = Enumerable.Range(0, 75).Select(i => (First: 2L * i + 1, Last: 2L * i + 1)).ToList();

        var messages = await Mail.ListMessagesAsync(inbox, odd);
        var few = await Mail.ListMessagesAsync(inbox, [(140, 200), (3, 4)]);

        Assert.Equal(odd.Select(r => r.First), messages.Select(m => m.Uid));
        Assert.Equal([3, 4, .. Enumerable.Range(140, 11).Select(i => (long)i)], few.Select(m => m.Uid));
    }

    [Fact]
    public async Task Key_of_a_deleted_mailbox_reads_and_changes_nothing()
    {
        var account = await NewAccountAsync();
        await Mail.CreateMailboxAsync(account.Id, "Temporary");
        var key = await KeyAsync(account, "Temporary");
        await using var writer = new DeliveryWriter(Db);
        await FileAsync(writer, account, key, "a");
        await Mail.DeleteMailboxAsync(account.Id, "Temporary");
        var other = await NewAccountAsync("reuser");
        await Mail.CreateMailboxAsync(other.Id, "Reused");
        var reused = await KeyAsync(other, "Reused");
        await FileAsync(writer, other, reused, "b");

        Assert.Null(await Mail.GetOverviewAsync(key));
        Assert.Null(await Mail.GetChangesSinceAsync(key, 0));
        Assert.Empty(await Mail.ListUidsAsync(key));
        Assert.Empty(await Mail.ListMessagesAsync(key, All));
        Assert.Empty((await Mail.SetFlagsAsync(key, All, FlagOperation.Add, MessageFlags.Seen, null)).Messages);
        Assert.Empty((await Mail.CopyMessagesAsync(key, All, "INBOX", move: true)).SourceUids);
        Assert.Equal([1], await Mail.ListUidsAsync(reused));
        Assert.Empty((await Mail.GetChangesSinceAsync(reused, 0))!.Vanished);
    }

    [Fact]
    public async Task Deleting_a_mailbox_logs_its_messages_as_vanished_for_the_sessions_that_have_it_open()
    {
        var account = await NewAccountAsync();
        await Mail.CreateMailboxAsync(account.Id, "Going");
        var key = await KeyAsync(account, "Going");
        await using var writer = new DeliveryWriter(Db);
        await FileAsync(writer, account, key, "a");
        await FileAsync(writer, account, key, "b");
        using var watch = Db.Changes.Watch(key.Id);
        var known = (await Mail.GetChangesSinceAsync(key, 0))!.HighestModSeq;
        var waiting = watch.WaitForChangeAsync(known, CancellationToken.None);

        await Mail.DeleteMailboxAsync(account.Id, "Going");

        await waiting.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(known + 1, watch.Current);
        await using var connection = await Db.OpenAsync();
        var logged = await Dapper.SqlMapper.QueryAsync<long>(connection,
            "SELECT uid FROM expunged_messages WHERE mailbox_id = @id AND modseq = @modseq ORDER BY uid", new { id = key.Id, modseq = known + 1 });
        Assert.Equal([1, 2], logged);
    }

    [Fact]
    public async Task Change_feed_wakes_a_watcher_for_every_change_while_deliveries_run_concurrently()
    {
        var account = await NewAccountAsync();
        var inbox = await KeyAsync(account);
        using var watch = Db.Changes.Watch(inbox.Id);
        var known = (await Mail.GetChangesSinceAsync(inbox, 0))!.HighestModSeq;
        const int Senders = 8;
        const int Each = 10;
        await using var writer = new DeliveryWriter(Db);

        var deliveries = Enumerable.Range(0, Senders).Select(s => Task.Run(async () =>
        {
            for (var i = 0; i < Each; i++) await FileAsync(writer, account, inbox, $"s{s}-{i}");
        })).ToList();
        var seen = new List<long>();
        while (seen.Count < Senders * Each)
        {
            await watch.WaitForChangeAsync(known, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
            var changes = (await Mail.GetChangesSinceAsync(inbox, known))!;
            Assert.NotEmpty(changes.Changed);
            seen.AddRange(changes.Changed.Select(m => m.Uid));
            known = changes.HighestModSeq;
        }

        await Task.WhenAll(deliveries);
        Assert.Equal(Enumerable.Range(1, Senders * Each).Select(i => (long)i), seen);
        Assert.Equal(known, watch.Current);
        Assert.Equal(known, Db.Changes.Current(inbox.Id));

        var flagged = Mail.SetFlagsAsync(inbox, [(1, 1)], FlagOperation.Add, MessageFlags.Seen, null);
        await watch.WaitForChangeAsync(known, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal((await flagged).Messages[0].ModSeq, watch.Current);
    }

    [Fact]
    public async Task Recent_messages_go_to_the_first_claim_and_reading_without_claiming_takes_nothing()
    {
        var account = await NewAccountAsync();
        var inbox = await KeyAsync(account);
        await using var writer = new DeliveryWriter(Db);
        for (var i = 0; i < 3; i++) await FileAsync(writer, account, inbox, "m" + i);
        Assert.Equal(3, (await Mail.GetMailboxAsync(account.Id, "INBOX"))!.RecentCount);

        Assert.Equal(0, await Mail.ClaimRecentAsync(inbox, 3, claim: false));
        Assert.Equal(3, (await Mail.GetMailboxAsync(account.Id, "INBOX"))!.RecentCount);
        Assert.Equal(0, await Mail.ClaimRecentAsync(inbox, 2, claim: true));
        Assert.Equal(1, (await Mail.GetMailboxAsync(account.Id, "INBOX"))!.RecentCount);
        Assert.Equal(2, await Mail.ClaimRecentAsync(inbox, 3, claim: true));
        Assert.Equal(3, await Mail.ClaimRecentAsync(inbox, 3, claim: true));
        // A claim below the mark never lowers it.
        Assert.Equal(3, await Mail.ClaimRecentAsync(inbox, 1, claim: true));
        Assert.Equal(0, (await Mail.GetMailboxAsync(account.Id, "INBOX"))!.RecentCount);

        await FileAsync(writer, account, inbox, "later");
        Assert.Equal(1, (await Mail.GetMailboxAsync(account.Id, "INBOX"))!.RecentCount);
        Assert.Equal(3, await Mail.ClaimRecentAsync(inbox, 4, claim: true));

        // Copies are new arrivals in their mailbox; a mailbox that is gone has nothing recent.
        await Mail.CopyMessagesAsync(inbox, [(1, 2)], "Archive", move: false);
        Assert.Equal(2, (await Mail.GetMailboxAsync(account.Id, "Archive"))!.RecentCount);
        await Mail.CreateMailboxAsync(account.Id, "Gone");
        var gone = await KeyAsync(account, "Gone");
        await Mail.DeleteMailboxAsync(account.Id, "Gone");
        Assert.Equal(7, await Mail.ClaimRecentAsync(gone, 7, claim: true));
    }

    [Fact]
    public async Task Messages_stored_before_the_recent_column_arrived_are_recent_to_no_one()
    {
        var (db, _, _) = await Backend.CreateEmptyAsync();
        Assert.Empty(await db.AppliedMigrationsAsync());
        await using (var connection = await db.OpenAsync())
        {
            foreach (var migration in SchemaMigrations.All.Where(m => m.Version < 3))
            {
                await Dapper.SqlMapper.ExecuteAsync(connection, db.Dialect.ExpandSchema(migration.Sql));
                await Dapper.SqlMapper.ExecuteAsync(connection,
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@Version, @Name, 0)", new { migration.Version, migration.Name });
            }
            await Dapper.SqlMapper.ExecuteAsync(connection, """
                INSERT INTO domains (name, created_at) VALUES ('viejo.test', 0);
                INSERT INTO accounts (domain_id, address, password_hash, created_at) VALUES (1, 'ana@viejo.test', 'x', 0);
                INSERT INTO mailboxes (account_id, name, uid_validity, uid_next, created_at) VALUES (1, 'INBOX', 7, 6, 0);
                """);
        }

        await db.MigrateAsync();

        var inbox = (await new MailStore(db).GetMailboxInfoAsync(1, "INBOX"))!.Key;
        Assert.Equal(5, await new MailStore(db).ClaimRecentAsync(inbox, 5, claim: true));
    }

    [Fact]
    public async Task Concurrent_claims_hand_each_recent_message_to_exactly_one_claimant()
    {
        var account = await NewAccountAsync();
        var inbox = await KeyAsync(account);
        await using var writer = new DeliveryWriter(Db);
        const int Messages = 40;
        const int Sessions = 6;
        var claimed = new System.Collections.Concurrent.ConcurrentBag<long>();

        var delivering = Task.Run(async () =>
        {
            for (var i = 0; i < Messages; i++) await FileAsync(writer, account, inbox, "m" + i);
        });
        var sessions = Enumerable.Range(0, Sessions).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var done = delivering.IsCompleted;
                var upTo = (await Mail.ListUidsAsync(inbox)).LastOrDefault();
                var previous = await Mail.ClaimRecentAsync(inbox, upTo, claim: true);
                for (var uid = previous + 1; uid <= upTo; uid++) claimed.Add(uid);
                if (done) return;
            }
        })).ToList();
        await Task.WhenAll([delivering, .. sessions]);

        Assert.Equal(Enumerable.Range(1, Messages).Select(i => (long)i), claimed.Order());
        Assert.Equal(0, (await Mail.GetMailboxAsync(account.Id, "INBOX"))!.RecentCount);
    }

    [Fact]
    public async Task Content_of_a_listed_message_reads_back_as_stored()
    {
        var account = await NewAccountAsync();
        var inbox = await KeyAsync(account);
        await using var writer = new DeliveryWriter(Db);
        await FileAsync(writer, account, inbox, "contenido");

        var message = Assert.Single(await Mail.ListMessagesAsync(inbox, All));
        await using var stream = Mail.OpenContent(message);
        using var reader = new StreamReader(stream, Encoding.UTF8);

        Assert.Contains("Subject: contenido", await reader.ReadToEndAsync(), StringComparison.Ordinal);
    }
}

public sealed class ImapMailStoreOnSqlite(SqliteBackend backend) : ImapMailStoreTests(backend), IClassFixture<SqliteBackend>;

public sealed class ImapMailStoreOnPostgres(PostgresBackend backend) : ImapMailStoreTests(backend), IClassFixture<PostgresBackend>;
