using System.Diagnostics;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using AccountStore = Estafeta.Storage.AccountStore;
using StoredMail = Estafeta.Storage.MailStore;

namespace Estafeta.EndToEnd.Imap;

/// <summary>IMAP with MailKit against the whole server: mail that arrives by SMTP, several sessions of one user,
/// and accounts that must not see each other. Run on SQLite and on PostgreSQL.</summary>
public abstract class ImapTests(ServerFixture server)
{
    private Task<string> NewAccountAsync(long quotaBytes = 0) => ImapSessions.NewAccountAsync(server, quotaBytes);

    private async Task SendAsync(MimeMessage message)
    {
        using var smtp = await MailClients.SmtpAsync(server.Smtp, SecureSocketOptions.None);
        await smtp.SendAsync(message);
        await smtp.DisconnectAsync(true);
    }

    private static MimeMessage WithAttachment(string to, string subject)
    {
        var message = Messages.Simple("remitente@remoto.test", to, subject, "");
        var builder = new BodyBuilder { TextBody = "Adjunto la factura, José.\r\n" };
        builder.Attachments.Add("factura.pdf", Enumerable.Range(0, 3000).Select(i => (byte)i).ToArray(), new ContentType("application", "pdf"));
        message.Body = builder.ToMessageBody();
        return message;
    }

    private static MimeMessage Note(string subject) => Messages.Simple("ana@ejemplo.test", "ana@ejemplo.test", subject, "Nota.\r\n");

    [Fact]
    public async Task Login_over_starttls_and_implicit_tls_lists_the_special_use_mailboxes_and_selects_inbox()
    {
        var address = await NewAccountAsync();
        foreach (var (endpoint, security) in new[] { (server.Imap, SecureSocketOptions.StartTls), (server.Imaps, SecureSocketOptions.SslOnConnect) })
        {
            using var client = await ImapSessions.ConnectAsync(endpoint, address, security);
            Assert.True(client.IsSecure);
            Assert.True(client.Capabilities.HasFlag(ImapCapabilities.SpecialUse));

            var folders = await client.GetFoldersAsync(client.PersonalNamespaces[0]);
            Assert.Equal(["Archive", "Drafts", "INBOX", "Junk", "Sent", "Trash"], folders.Select(f => f.FullName).Order(StringComparer.Ordinal));
            Assert.True(folders.Single(f => f.FullName == "Sent").Attributes.HasFlag(FolderAttributes.Sent));
            Assert.True(folders.Single(f => f.FullName == "Junk").Attributes.HasFlag(FolderAttributes.Junk));
            Assert.True(folders.Single(f => f.FullName == "Trash").Attributes.HasFlag(FolderAttributes.Trash));
            Assert.True(folders.Single(f => f.FullName == "Archive").Attributes.HasFlag(FolderAttributes.Archive));
            Assert.True(folders.Single(f => f.FullName == "Drafts").Attributes.HasFlag(FolderAttributes.Drafts));

            await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
            Assert.Equal(0, client.Inbox.Count);
            Assert.True(client.Inbox.UidValidity > 0);
            await client.DisconnectAsync(true);
        }
    }

    [Fact]
    public async Task Message_delivered_by_smtp_appears_in_an_idle_session_within_one_second()
    {
        var address = await NewAccountAsync();
        using var client = await ImapSessions.ConnectAsync(server.Imap, address);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        client.Inbox.CountChanged += (_, _) => arrived.TrySetResult();
        using var done = new CancellationTokenSource();
        var idle = client.IdleAsync(done.Token);

        await SendAsync(Messages.Simple("remitente@remoto.test", address, "En IDLE", "Hola.\r\n"));
        var sent = Stopwatch.StartNew();
        await arrived.Task.WaitAsync(TimeSpan.FromSeconds(1));
        sent.Stop();

        await done.CancelAsync();
        await idle;
        Assert.Equal(1, client.Inbox.Count);
        Assert.True(sent.Elapsed < TimeSpan.FromSeconds(1), $"EXISTS came {sent.Elapsed} after the SMTP reply");
    }

    [Fact]
    public async Task A_message_delivered_by_smtp_is_recent_in_exactly_one_of_two_sessions()
    {
        var address = await NewAccountAsync();
        using var first = await ImapSessions.ConnectAsync(server.Imap, address);
        using var second = await ImapSessions.ConnectAsync(server.Imaps, address, SecureSocketOptions.SslOnConnect);
        await first.Inbox.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(0, first.Inbox.Recent);

        await SendAsync(Messages.Simple("remitente@remoto.test", address, "Reciente", "Hola.\r\n"));
        await second.Inbox.StatusAsync(StatusItems.Recent | StatusItems.Count);
        Assert.Equal(1, second.Inbox.Recent);
        await first.NoOpAsync();
        Assert.Equal(1, first.Inbox.Count);
        Assert.Equal(1, first.Inbox.Recent);
        var seen = Assert.Single(await first.Inbox.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.UniqueId));
        Assert.True(seen.Flags!.Value.HasFlag(MessageFlags.Recent));
        Assert.Equal([seen.UniqueId], await first.Inbox.SearchAsync(SearchQuery.Recent));

        await second.Inbox.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(1, second.Inbox.Count);
        Assert.Equal(0, second.Inbox.Recent);
        var other = Assert.Single(await second.Inbox.FetchAsync(0, -1, MessageSummaryItems.Flags));
        Assert.False(other.Flags!.Value.HasFlag(MessageFlags.Recent));
        Assert.Empty(await second.Inbox.SearchAsync(SearchQuery.Recent));
        Assert.Equal([seen.UniqueId], await second.Inbox.SearchAsync(SearchQuery.Old));
    }

    [Fact]
    public async Task Fetched_envelope_bodystructure_and_body_match_what_pop3_returns_byte_for_byte()
    {
        var address = await NewAccountAsync();
        var message = WithAttachment(address, "Factura ñandú");
        await SendAsync(message);
        var pop3 = Assert.Single(await MailClients.RetrieveAllAsync(server.Pop3, address));

        using var client = await ImapSessions.ConnectAsync(server.Imaps, address, SecureSocketOptions.SslOnConnect);
        await client.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var summary = Assert.Single(await client.Inbox.FetchAsync(0, -1,
            MessageSummaryItems.UniqueId | MessageSummaryItems.Envelope | MessageSummaryItems.BodyStructure | MessageSummaryItems.Size));
        using var body = await client.Inbox.GetStreamAsync(summary.UniqueId, "");
        using var bytes = new MemoryStream();
        await body.CopyToAsync(bytes);

        Assert.Equal(pop3, bytes.ToArray());
        Assert.Equal(pop3.Length, (long)summary.Size!.Value);
        Assert.Equal("Factura ñandú", summary.Envelope!.Subject);
        Assert.Equal("remitente@remoto.test", summary.Envelope.From.Mailboxes.Single().Address);
        Assert.Equal(message.MessageId, summary.Envelope.MessageId);
        var multipart = Assert.IsType<BodyPartMultipart>(summary.Body);
        Assert.Equal("mixed", multipart.ContentType.MediaSubtype);
        Assert.Equal(2, multipart.BodyParts.Count);
        Assert.Equal("factura.pdf", Assert.IsType<BodyPartBasic>(multipart.BodyParts[1]).FileName);
        Assert.True(Messages.EndsWith(bytes.ToArray(), Messages.WireBytes(message)));
    }

    [Fact]
    public async Task Flags_stored_by_one_session_are_seen_by_a_second_concurrent_session()
    {
        var address = await NewAccountAsync();
        using var writer = await ImapSessions.ConnectAsync(server.Imap, address);
        using var reader = await ImapSessions.ConnectAsync(server.Imaps, address, SecureSocketOptions.SslOnConnect);
        var uid = (await writer.Inbox.AppendAsync(new AppendRequest(Note("flags")))).GetValueOrDefault();
        await writer.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await reader.Inbox.OpenAsync(FolderAccess.ReadOnly);
        var changed = new TaskCompletionSource<MessageFlagsChangedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        reader.Inbox.MessageFlagsChanged += (_, e) => changed.TrySetResult(e);

        await writer.Inbox.StoreAsync(uid, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Flagged | MessageFlags.Seen) { Silent = true, Keywords = { "$Importante" } });
        await reader.NoOpAsync();

        var e = await changed.Task.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(MessageFlags.Flagged | MessageFlags.Seen, e.Flags);
        Assert.Contains("$Importante", e.Keywords);
        var fetched = Assert.Single(await reader.Inbox.FetchAsync(new[] { uid }, MessageSummaryItems.Flags));
        Assert.Equal(MessageFlags.Flagged | MessageFlags.Seen, fetched.Flags);
    }

    [Fact]
    public async Task Copy_and_move_answer_with_uidplus_uids_and_keep_the_flags()
    {
        var address = await NewAccountAsync();
        using var client = await ImapSessions.ConnectAsync(server.Imap, address);
        var first = (await client.Inbox.AppendAsync(new AppendRequest(Note("uno"), MessageFlags.Seen))).GetValueOrDefault();
        var second = (await client.Inbox.AppendAsync(new AppendRequest(Note("dos"), MessageFlags.Flagged))).GetValueOrDefault();
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        var archive = await client.GetFolderAsync("Archive");
        var trash = await client.GetFolderAsync("Trash");
        await archive.StatusAsync(StatusItems.UidValidity);
        await trash.StatusAsync(StatusItems.UidValidity);

        var copied = await client.Inbox.CopyToAsync(new[] { first, second }, archive);
        var moved = await client.Inbox.MoveToAsync(new[] { second }, trash);

        Assert.Equal([first, second], copied.Source);
        Assert.Equal([1u, 2u], copied.Destination.Select(u => u.Id));
        Assert.All(copied.Destination, u => Assert.Equal(archive.UidValidity, u.Validity));
        Assert.Equal([second], moved.Source);
        Assert.Equal([1u], moved.Destination.Select(u => u.Id));
        Assert.Equal(1, client.Inbox.Count);
        await archive.OpenAsync(FolderAccess.ReadOnly);
        var copies = await archive.FetchAsync(0, -1, MessageSummaryItems.Flags | MessageSummaryItems.Envelope | MessageSummaryItems.UniqueId);
        // Copies are new arrivals in Archive, and this is the first session to open it, so they are \Recent here.
        Assert.Equal([("uno", MessageFlags.Seen | MessageFlags.Recent), ("dos", MessageFlags.Flagged | MessageFlags.Recent)],
            copies.Select(c => (c.Envelope!.Subject, c.Flags!.Value)));
        await trash.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(1, trash.Count);
    }

    [Fact]
    public async Task Append_keeps_flags_keywords_and_internal_date_and_expunge_removes_deleted_messages()
    {
        var address = await NewAccountAsync();
        using var client = await ImapSessions.ConnectAsync(server.Imap, address);
        var date = new DateTimeOffset(2024, 2, 29, 8, 30, 0, TimeSpan.FromHours(1));
        var drafts = await client.GetFolderAsync("Drafts");

        var uid = await drafts.AppendAsync(new AppendRequest(Note("borrador"), MessageFlags.Draft | MessageFlags.Seen) { InternalDate = date, Keywords = new HashSet<string> { "$Pendiente" } });
        var second = await drafts.AppendAsync(new AppendRequest(Note("tirar")));

        Assert.Equal(1u, uid!.Value.Id);
        Assert.Equal(2u, second!.Value.Id);
        await drafts.OpenAsync(FolderAccess.ReadWrite);
        Assert.Equal(uid.Value.Validity, drafts.UidValidity);
        var summary = Assert.Single(await drafts.FetchAsync(new[] { uid.Value }, MessageSummaryItems.Flags | MessageSummaryItems.InternalDate));
        Assert.Equal(MessageFlags.Draft | MessageFlags.Seen | MessageFlags.Recent, summary.Flags);
        Assert.Contains("$Pendiente", summary.Keywords);
        Assert.Equal(date, summary.InternalDate);

        await drafts.StoreAsync(second.Value, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true });
        await drafts.ExpungeAsync();

        Assert.Equal(1, drafts.Count);
        Assert.Equal([uid.Value], await drafts.SearchAsync(SearchQuery.All));
    }

    [Fact]
    public async Task Condstore_and_qresync_resynchronise_after_another_session_changed_the_mailbox()
    {
        var address = await NewAccountAsync();
        using var other = await ImapSessions.ConnectAsync(server.Imap, address);
        for (var i = 0; i < 4; i++) await other.Inbox.AppendAsync(new AppendRequest(Note("m" + i)));

        using var client = await ImapSessions.ConnectAsync(server.Imaps, address, SecureSocketOptions.SslOnConnect);
        await client.EnableQuickResyncAsync();
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        var uidValidity = client.Inbox.UidValidity;
        var modseq = client.Inbox.HighestModSeq;
        var known = await client.Inbox.SearchAsync(SearchQuery.All);
        await client.Inbox.CloseAsync();

        await other.Inbox.OpenAsync(FolderAccess.ReadWrite);
        await other.Inbox.StoreAsync(known[1], new StoreFlagsRequest(StoreAction.Add, MessageFlags.Answered) { Silent = true });
        await other.Inbox.StoreAsync(known[2], new StoreFlagsRequest(StoreAction.Add, MessageFlags.Deleted) { Silent = true });
        await other.Inbox.ExpungeAsync();
        await SendAsync(Messages.Simple("remitente@remoto.test", address, "nuevo", "x\r\n"));

        var vanished = new List<UniqueId>();
        var flagged = new List<UniqueId?>();
        client.Inbox.MessagesVanished += (_, e) => vanished.AddRange(e.UniqueIds);
        client.Inbox.MessageFlagsChanged += (_, e) => flagged.Add(e.UniqueId);
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite, uidValidity, modseq, known);

        Assert.Equal([known[2]], vanished);
        Assert.Contains(known[1], flagged);
        Assert.Equal(4, client.Inbox.Count);
        Assert.True(client.Inbox.HighestModSeq > modseq);

        // CONDSTORE: a STORE conditional on an old modseq fails for the message changed since.
        var changes = await client.Inbox.FetchAsync(known, MessageSummaryItems.UniqueId | MessageSummaryItems.ModSeq);
        var stale = changes.Single(c => c.UniqueId == known[1]).ModSeq!.Value - 1;
        var failed = await client.Inbox.StoreAsync(new[] { known[0], known[1] }, new StoreFlagsRequest(StoreAction.Add, MessageFlags.Flagged) { Silent = true, UnchangedSince = stale });
        Assert.Equal([known[1]], failed);
        var flags = await client.Inbox.FetchAsync(new[] { known[0], known[1] }, MessageSummaryItems.Flags | MessageSummaryItems.UniqueId);
        Assert.Equal([MessageFlags.Flagged, MessageFlags.Answered], flags.OrderBy(f => f.UniqueId.Id).Select(f => f.Flags!.Value));
    }

    [Fact]
    public async Task Quota_reflects_the_account_quota_and_its_usage()
    {
        var address = await NewAccountAsync(quotaBytes: 10_000_000);
        await SendAsync(Messages.Simple("remitente@remoto.test", address, "cuota", new string('x', 5000) + "\r\n"));
        using var client = await ImapSessions.ConnectAsync(server.Imap, address);
        Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Quota));

        var quota = await client.Inbox.GetQuotaAsync();

        var used = (await new AccountStore(server.Host.Database).GetAsync(address))!.UsedBytes;
        Assert.True(used > 5000);
        Assert.Equal(10_000_000 / 1024, (long)quota.StorageLimit!.Value);
        Assert.Equal((used + 1023) / 1024, (long)quota.CurrentStorageSize!.Value);
    }

    [Fact]
    public async Task Copy_beyond_the_quota_is_refused_and_copies_nothing()
    {
        var address = await NewAccountAsync();
        using var client = await ImapSessions.ConnectAsync(server.Imap, address);
        await client.Inbox.AppendAsync(new AppendRequest(Note("grande " + new string('x', 4000))));
        var used = (await new AccountStore(server.Host.Database).GetAsync(address))!.UsedBytes;
        await new AccountStore(server.Host.Database).SetQuotaAsync(address, used + 100);
        await client.Inbox.OpenAsync(FolderAccess.ReadWrite);
        var archive = await client.GetFolderAsync("Archive");

        await Assert.ThrowsAsync<ImapCommandException>(() => client.Inbox.CopyToAsync(UniqueIdRange.All, archive));

        await archive.StatusAsync(StatusItems.Count);
        Assert.Equal(0, archive.Count);
        Assert.Equal(used, (await new AccountStore(server.Host.Database).GetAsync(address))!.UsedBytes);
    }

    [Fact]
    public async Task User_cannot_select_or_list_another_accounts_mailbox()
    {
        var owner = await NewAccountAsync();
        var intruder = await NewAccountAsync();
        var ownerAccount = (await new AccountStore(server.Host.Database).GetAsync(owner))!;
        await new StoredMail(server.Host.Database).CreateMailboxAsync(ownerAccount.Id, "Secreto");
        using (var client = await ImapSessions.ConnectAsync(server.Imap, owner))
            await client.Inbox.AppendAsync(new AppendRequest(Note("privado")));

        using var spy = await ImapSessions.ConnectAsync(server.Imap, intruder);
        var folders = await spy.GetFoldersAsync(spy.PersonalNamespaces[0]);

        var select = await ImapSessions.RawAsync(server.Imaps, $"LOGIN \"{intruder}\" \"{ServerFixture.Password}\"", "SELECT Secreto", "EXAMINE Secreto", "STATUS Secreto (MESSAGES)");

        Assert.StartsWith("t1 OK", select[0], StringComparison.Ordinal);
        Assert.All(select.Skip(1), reply => Assert.StartsWith("NO", reply[3..], StringComparison.Ordinal));
        Assert.DoesNotContain(folders, f => f.FullName == "Secreto");
        await Assert.ThrowsAsync<FolderNotFoundException>(() => spy.GetFolderAsync("Secreto"));
        await spy.Inbox.OpenAsync(FolderAccess.ReadOnly);
        Assert.Equal(0, spy.Inbox.Count);
        Assert.Empty(await spy.Inbox.SearchAsync(SearchQuery.All));
    }
}

public sealed class ImapOnSqliteTests(ServerFixture server) : ImapTests(server), IClassFixture<ServerFixture>;

public sealed class ImapOnPostgresTests(PostgresServerFixture server) : ImapTests(server), IClassFixture<PostgresServerFixture>;
