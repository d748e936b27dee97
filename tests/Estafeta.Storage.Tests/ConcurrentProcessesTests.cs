namespace Estafeta.Storage.Tests;

/// <summary>A CLI verb running while <c>serve</c> works on the same database: two <see cref="Database"/> instances writing at once.</summary>
public abstract class ConcurrentProcessesTests(StorageBackend backend) : StorageTests(backend)
{
    [Fact]
    public async Task Cli_writes_while_the_server_delivers_without_lock_errors()
    {
        var account = await NewAccountAsync();
        var domain = MailAddressCanonical.DomainOf(account.Address);
        var blobs = await Task.WhenAll(Enumerable.Range(0, 60).Select(i => StoreAsync($"busy {i}")));
        var cli = Backend.OpenSecondInstance();
        var cliAccounts = new AccountStore(cli);
        var cliAliases = new AliasStore(cli);
        var cliMail = new MailStore(cli);
        await using var writer = new DeliveryWriter(Db);

        var server = Task.WhenAll(blobs.Select(async (blob, i) =>
        {
            await Task.Yield();
            return await writer.CommitAsync(new Delivery(blob, [DeliveryTarget.Inbox(account.Id)], DateTimeOffset.UtcNow, Envelope($"busy {i}")));
        }));
        var cliWork = Task.Run(async () =>
        {
            for (var i = 0; i < 5; i++)
            {
                await cliAliases.AddAsync($"alias{i}@{domain}", account.Address);
                await cliMail.CreateMailboxAsync(account.Id, $"Folder {i}");
                var inbox = (await cliMail.GetMailboxAsync(account.Id, "INBOX"))!;
                var ids = (await cliMail.ListMessagesAsync(inbox.Id)).Select(m => m.Id).ToList();
                await cliMail.SetFlagsAsync(ids, FlagOperation.Add, MessageFlags.Seen);
            }

            await cliAccounts.AddAsync($"second@{domain}", "pw");
        });

        await Task.WhenAll(server, cliWork);

        var receipts = await server;
        Assert.Equal(Enumerable.Range(1, 60).Select(i => (long)i), receipts.Select(r => r.Copies[0].Uid).Order());
        Assert.Equal(60, (await InboxAsync(account)).MessageCount);
        Assert.Equal(blobs.Sum(b => b.Size), (await Accounts.GetByIdAsync(account.Id))!.UsedBytes);
        Assert.NotNull(await Accounts.GetAsync($"second@{domain}"));
        Assert.Equal(5, (await Aliases.ListAsync(domain)).Count);
    }

    [Fact]
    public async Task Two_servers_delivering_to_the_same_mailbox_never_reuse_a_uid()
    {
        var account = await NewAccountAsync();
        var blobs = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => StoreAsync($"two {i}")));
        await using var first = new DeliveryWriter(Db);
        await using var second = new DeliveryWriter(Backend.OpenSecondInstance());

        var receipts = await Task.WhenAll(blobs.Select((blob, i) => (i % 2 == 0 ? first : second).CommitAsync(
            new Delivery(blob, [DeliveryTarget.Inbox(account.Id)], DateTimeOffset.UtcNow, Envelope($"two {i}")))));

        Assert.Equal(Enumerable.Range(1, 40).Select(i => (long)i), receipts.Select(r => r.Copies[0].Uid).Order());
    }

    [Fact]
    public async Task Concurrent_expunges_of_the_same_messages_count_their_bytes_once()
    {
        var account = await NewAccountAsync();
        var receipts = new List<DeliveryReceipt>();
        for (var i = 0; i < 6; i++)
        {
            receipts.Add(await DeliverAsync($"expunge {i}", account));
        }

        var ids = receipts.Take(4).Select(r => r.Copies[0].MessageId).ToList();
        var other = new MailStore(Backend.OpenSecondInstance());

        var results = await Task.WhenAll(Mail.ExpungeAsync(ids), other.ExpungeAsync(ids), Task.Run(() => Mail.ExpungeAsync(ids)));

        Assert.Equal(4, results.Sum(r => r.Count));
        var left = await Mail.ListMessagesAsync(receipts[0].Copies[0].MailboxId);
        Assert.Equal(2, left.Count);
        Assert.Equal(left.Sum(m => m.Size), (await Accounts.GetByIdAsync(account.Id))!.UsedBytes);
    }

    [Fact]
    public async Task Flag_changes_from_two_sessions_at_once_are_both_kept()
    {
        var account = await NewAccountAsync();
        var receipts = new List<DeliveryReceipt>();
        for (var i = 0; i < 5; i++)
        {
            receipts.Add(await DeliverAsync($"flags {i}", account));
        }

        var ids = receipts.Select(r => r.Copies[0].MessageId).ToList();
        var other = new MailStore(Backend.OpenSecondInstance());

        await Task.WhenAll(Enumerable.Range(0, 10).Select(i => i % 2 == 0
            ? Task.Run(() => Mail.SetFlagsAsync(ids, FlagOperation.Add, MessageFlags.Seen, [$"$k{i}"]))
            : Task.Run(() => other.SetFlagsAsync(ids, FlagOperation.Add, MessageFlags.Flagged, [$"$k{i}"]))));

        var messages = await Mail.ListMessagesAsync(receipts[0].Copies[0].MailboxId);
        Assert.All(messages, m =>
        {
            Assert.Equal(MessageFlags.Seen | MessageFlags.Flagged, m.Flags);
            Assert.Equal(10, m.Keywords.Count);
        });
        Assert.Equal(messages.Max(m => m.ModSeq), (await InboxAsync(account)).HighestModSeq);
    }
}

public sealed class ConcurrentProcessesOnSqlite(SqliteBackend backend) : ConcurrentProcessesTests(backend), IClassFixture<SqliteBackend>;

public sealed class ConcurrentProcessesOnPostgres(PostgresBackend backend) : ConcurrentProcessesTests(backend), IClassFixture<PostgresBackend>;
