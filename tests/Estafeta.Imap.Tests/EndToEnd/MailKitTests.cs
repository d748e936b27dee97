using System.Text;
using Estafeta.Imap.Tests.Support;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;
using Xunit.Abstractions;

namespace Estafeta.Imap.Tests.EndToEnd;

/// <summary>MailKit's ImapClient, the client many tools are built on, against the real server over STARTTLS and
/// implicit TLS. The protocol transcript goes to the test output.</summary>
public sealed class MailKitTests(ITestOutputHelper output)
{
    private async Task<T> WithClientAsync<T>(ImapHarness server, SecureSocketOptions security, Func<ImapClient, Task<T>> run)
    {
        var transcript = new MemoryStream();
        try
        {
            using var client = new ImapClient(new ProtocolLogger(transcript, leaveOpen: true)) { ServerCertificateValidationCallback = (_, _, _, _) => true };
            await client.ConnectAsync("127.0.0.1", server.EndPoint.Port, security);
            await client.AuthenticateAsync("alice", "secret");
            var result = await run(client);
            await client.DisconnectAsync(quit: true);
            return result;
        }
        finally
        {
            output.WriteLine(Encoding.UTF8.GetString(transcript.ToArray()));
        }
    }

    [Fact]
    public async Task Mailkit_over_starttls_lists_appends_fetches_searches_and_deletes()
    {
        await using var server = ImapHarness.Start(o => o with { AllowPlaintextAuth = false });
        await WithClientAsync(server, SecureSocketOptions.StartTls, async client =>
        {
            Assert.True(client.IsSecure);
            Assert.True(client.Capabilities.HasFlag(ImapCapabilities.Idle));
            Assert.True(client.Capabilities.HasFlag(ImapCapabilities.CondStore));
            var sent = client.GetFolder(SpecialFolder.Sent);
            Assert.Equal("Sent", sent!.FullName);

            var inbox = client.Inbox;
            var message = MimeMessage.Load(new MemoryStream(Messages.File("campaign.eml")));
            var uid = await inbox.AppendAsync(message, MessageFlags.Seen);
            Assert.Equal(1u, uid!.Value.Id);
            await inbox.OpenAsync(FolderAccess.ReadWrite);
            var summaries = await inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope | MessageSummaryItems.BodyStructure | MessageSummaryItems.Flags | MessageSummaryItems.UniqueId);
            Assert.Equal("¡Ofertas de verano!", summaries[0].Envelope!.Subject);
            Assert.Equal("Tienda España", summaries[0].Envelope!.From.Mailboxes.First().Name);
            Assert.Equal(2, summaries[0].Attachments!.Count() + summaries[0].BodyParts!.Count(p => p.ContentType.MediaType == "image"));
            var fetched = await inbox.GetMessageAsync(summaries[0].UniqueId);
            Assert.Equal(message.HtmlBody, fetched.HtmlBody);

            var found = await inbox.SearchAsync(SearchQuery.SubjectContains("verano"));
            Assert.Single(found);
            await inbox.AddFlagsAsync(found, MessageFlags.Deleted, silent: true);
            await inbox.ExpungeAsync();
            Assert.Equal(0, inbox.Count);
            return 0;
        });
    }

    [Fact]
    public async Task Mailkit_over_implicit_tls_reads_nested_multiparts_and_utf8_headers()
    {
        await using var server = ImapHarness.Start(implicitTls: true);
        server.Alice.Deliver("INBOX", Messages.File("rfc822.eml"));
        server.Alice.Deliver("INBOX", Messages.File("eightbit.eml"));
        await WithClientAsync(server, SecureSocketOptions.SslOnConnect, async client =>
        {
            var inbox = client.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadOnly);
            var summaries = await inbox.FetchAsync(0, -1, MessageSummaryItems.Envelope | MessageSummaryItems.BodyStructure);
            var forwarded = (BodyPartMessage)((BodyPartMultipart)summaries[0].Body!).BodyParts[1];
            Assert.Equal("Lunch", forwarded.Envelope!.Subject);
            Assert.Equal("alternative", ((BodyPartMultipart)forwarded.Body!).ContentType.MediaSubtype);
            Assert.Equal("Reunión mañana", summaries[1].Envelope!.Subject);
            Assert.Equal("José Pérez", summaries[1].Envelope!.From.Mailboxes.First().Name);
            var text = (TextPart)await inbox.GetBodyPartAsync(0, ((BodyPartMultipart)forwarded.Body!).BodyParts[0]);
            Assert.Equal("Lunch at noon.", text.Text.Trim());
            return 0;
        });
    }

    [Fact]
    public async Task Mailkit_idle_sees_a_concurrent_delivery()
    {
        await using var server = ImapHarness.Start();
        await WithClientAsync(server, SecureSocketOptions.None, async client =>
        {
            var inbox = client.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadOnly);
            var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            inbox.CountChanged += (_, _) => { if (inbox.Count == 1) arrived.TrySetResult(); };
            using var done = new CancellationTokenSource();
            var idle = client.IdleAsync(done.Token);
            server.Alice.Deliver("INBOX", Messages.Simple("While idling"));
            await arrived.Task.WaitAsync(TimeSpan.FromSeconds(10));
            await done.CancelAsync();
            await idle;
            Assert.Equal(1, inbox.Count);
            return 0;
        });
    }

    [Fact]
    public async Task Two_mailkit_sessions_see_each_others_flag_changes_and_expunges()
    {
        await using var server = ImapHarness.Start();
        for (var i = 0; i < 3; i++) server.Alice.Deliver("INBOX", Messages.Simple("m" + i));
        using var first = new ImapClient();
        using var second = new ImapClient();
        foreach (var c in new[] { first, second })
        {
            await c.ConnectAsync("127.0.0.1", server.EndPoint.Port, SecureSocketOptions.None);
            await c.AuthenticateAsync("alice", "secret");
            await c.Inbox.OpenAsync(FolderAccess.ReadWrite);
        }
        var flagged = new List<int>();
        second.Inbox.MessageFlagsChanged += (_, e) => flagged.Add(e.Index);
        var expunged = new List<int>();
        second.Inbox.MessageExpunged += (_, e) => expunged.Add(e.Index);

        await first.Inbox.AddFlagsAsync(2, MessageFlags.Flagged, silent: true);
        await first.Inbox.AddFlagsAsync(0, MessageFlags.Deleted, silent: true);
        await first.Inbox.ExpungeAsync();
        await second.NoOpAsync();

        // The expunge is announced first, so the flagged message is then the second one.
        Assert.Equal([0], expunged);
        Assert.Equal([1], flagged);
        Assert.Equal(2, second.Inbox.Count);
        await first.DisconnectAsync(true);
        await second.DisconnectAsync(true);
    }

    [Fact]
    public async Task Mailkit_moves_and_copies_with_uidplus()
    {
        await using var server = ImapHarness.Start();
        for (var i = 0; i < 3; i++) server.Alice.Deliver("INBOX", Messages.Simple("m" + i));
        await WithClientAsync(server, SecureSocketOptions.None, async client =>
        {
            var inbox = client.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadWrite);
            var archive = client.GetFolder(SpecialFolder.Archive)!;
            var uids = await inbox.SearchAsync(SearchQuery.All);
            var copied = await inbox.CopyToAsync(uids[0], archive);
            Assert.Equal(1u, copied!.Value.Id);
            var moved = await inbox.MoveToAsync([uids[1], uids[2]], archive);
            Assert.Equal([2u, 3u], moved.Destination.Select(u => u.Id));
            Assert.Equal(1, inbox.Count);
            await archive.StatusAsync(StatusItems.Count);
            Assert.Equal(3, archive.Count);
            return 0;
        });
    }

    [Fact]
    public async Task Mailkit_condstore_and_qresync_resynchronise_a_mailbox()
    {
        await using var server = ImapHarness.Start();
        for (var i = 0; i < 4; i++) server.Alice.Deliver("INBOX", Messages.Simple("m" + i));
        await WithClientAsync(server, SecureSocketOptions.None, async client =>
        {
            await client.EnableQuickResyncAsync();
            var inbox = client.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadWrite);
            var validity = inbox.UidValidity;
            var modseq = inbox.HighestModSeq;
            var uids = await inbox.SearchAsync(SearchQuery.All);
            await inbox.CloseAsync();

            var account = server.Alice;
            account.Deliver("INBOX", Messages.Simple("new"));
            using (var other = new ImapClient())
            {
                await other.ConnectAsync("127.0.0.1", server.EndPoint.Port, SecureSocketOptions.None);
                await other.AuthenticateAsync("alice", "secret");
                await other.Inbox.OpenAsync(FolderAccess.ReadWrite);
                await other.Inbox.AddFlagsAsync(uids[1], MessageFlags.Flagged, silent: true);
                await other.Inbox.AddFlagsAsync(uids[0], MessageFlags.Deleted, silent: true);
                await other.Inbox.ExpungeAsync();
                await other.DisconnectAsync(true);
            }

            var vanished = new List<UniqueId>();
            inbox.MessagesVanished += (_, e) => vanished.AddRange(e.UniqueIds);
            await inbox.OpenAsync(FolderAccess.ReadWrite, validity, modseq, uids);
            Assert.Equal([uids[0]], vanished);
            var changed = await inbox.FetchAsync(0, -1, modseq, MessageSummaryItems.Flags | MessageSummaryItems.UniqueId | MessageSummaryItems.ModSeq);
            Assert.Contains(changed, s => s.UniqueId == uids[1] && s.Flags!.Value.HasFlag(MessageFlags.Flagged));
            Assert.Contains(changed, s => s.UniqueId.Id == 5);
            Assert.True(inbox.HighestModSeq > modseq);
            return 0;
        });
    }

    [Fact]
    public async Task Mailkit_sorts_searches_with_esearch_and_reads_quota()
    {
        await using var server = ImapHarness.Start();
        server.Alice.QuotaLimit = 1024 * 1024;
        server.Alice.Deliver("INBOX", Messages.Simple("Re: beta"));
        server.Alice.Deliver("INBOX", Messages.Simple("alpha"));
        await WithClientAsync(server, SecureSocketOptions.None, async client =>
        {
            var inbox = client.Inbox;
            await inbox.OpenAsync(FolderAccess.ReadOnly);
            var sorted = await inbox.SortAsync(SearchQuery.All, [OrderBy.Subject]);
            Assert.Equal([2u, 1u], sorted.Select(u => u.Id));
            var results = await inbox.SearchAsync(SearchOptions.Count | SearchOptions.Max, SearchQuery.All);
            Assert.Equal(2, results.Count);
            var quota = await inbox.GetQuotaAsync();
            Assert.Equal(1024u, quota.StorageLimit);
            return 0;
        });
    }
}
