using System.Text;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using MailKit.Security;
using MimeKit;

namespace Estafeta.EndToEnd.Imap;

/// <summary>
/// MailKit against the whole server for the commands the other IMAP tests do not reach: mailbox management with
/// UTF-8 and modified UTF-7 names, subscriptions and LSUB, LIST-STATUS, STATUS SIZE, LOGIN, ID, partial and BINARY
/// fetches, UID EXPUNGE, SEARCH with CHARSET UTF-8, and SORT by each key. Run on SQLite and on PostgreSQL. LSUB and
/// BINARY, which MailKit never sends, go over a raw connection.
/// </summary>
public abstract class ImapMailboxTests(ServerFixture server)
{
    /// <summary>A client whose protocol log (both directions) is kept in <paramref name="log"/>.</summary>
    private static async Task<ImapClient> ConnectLoggedAsync(ServerFixture server, string address, MemoryStream log, bool login = false)
    {
        var client = new ImapClient(new ProtocolLogger(log, leaveOpen: true)) { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 30_000 };
        await client.ConnectAsync(server.Imaps.Address.ToString(), server.Imaps.Port, SecureSocketOptions.SslOnConnect);
        if (login) client.AuthenticationMechanisms.Clear();
        await client.AuthenticateAsync(address, ServerFixture.Password);
        return client;
    }

    private static string Text(MemoryStream log) => Encoding.UTF8.GetString(log.ToArray());

    private static MimeMessage Mail(string from, string subject, DateTimeOffset date, string body)
    {
        var message = Messages.Simple(from, "ana@ejemplo.test", subject, body);
        message.Date = date;
        return message;
    }

    [Fact]
    public async Task Mailboxes_are_created_renamed_subscribed_and_deleted_under_utf8_and_modified_utf7_names()
    {
        var address = await ImapSessions.NewAccountAsync(server);
        var legacyLog = new MemoryStream();
        var utf8Log = new MemoryStream();
        using var legacy = await ConnectLoggedAsync(server, address, legacyLog);
        using var modern = await ConnectLoggedAsync(server, address, utf8Log);
        await modern.EnableUTF8Async();

        // A rev1 client without UTF8=ACCEPT names mailboxes in modified UTF-7 (RFC 3501 §5.1.3).
        var personal = legacy.GetFolder(legacy.PersonalNamespaces[0]);
        var projects = await personal!.CreateAsync("Proyectos", isMessageFolder: true);
        var year = await projects!.CreateAsync("Año 2024", isMessageFolder: true);
        Assert.Equal("Proyectos/Año 2024", year!.FullName);
        Assert.Contains("CREATE \"Proyectos/A&APE-o 2024\"", Text(legacyLog), StringComparison.Ordinal);
        await year.AppendAsync(new AppendRequest(Mail("luis@remoto.test", "Plan", DateTimeOffset.UtcNow, "Plan del año.\r\n")));

        // The same mailbox in UTF-8 for the session that enabled it, with LIST-STATUS counters.
        var listed = await modern.GetFoldersAsync(modern.PersonalNamespaces[0], StatusItems.Count | StatusItems.Unread | StatusItems.Size);
        var seen = Assert.Single(listed, f => f.FullName == "Proyectos/Año 2024");
        Assert.Equal(1, seen.Count);
        Assert.Equal(1, seen.Unread);
        Assert.True(seen.Size > 0);
        Assert.Contains("\"Proyectos/Año 2024\"", Text(utf8Log), StringComparison.Ordinal);
        Assert.Contains("RETURN (", Text(utf8Log), StringComparison.Ordinal);
        await seen.StatusAsync(StatusItems.Size | StatusItems.Count);
        Assert.Equal(seen.Size, (await modern.GetFolderAsync("Proyectos/Año 2024")).Size);

        // Subscriptions: every mailbox starts subscribed; LSUB and LIST (SUBSCRIBED) drop an unsubscribed one.
        await year.UnsubscribeAsync();
        var subscribed = await legacy.GetFoldersAsync(legacy.PersonalNamespaces[0], StatusItems.None, subscribedOnly: true);
        Assert.DoesNotContain(subscribed, f => f.FullName == "Proyectos/Año 2024");
        Assert.Contains(subscribed, f => f.FullName == "Proyectos");
        var lsub = (await ImapSessions.ExchangeAsync(server.Imaps, address, "LSUB \"\" \"Proyectos/*\""))[0];
        Assert.Equal("t1 OK LSUB completed", lsub[^1]);
        Assert.DoesNotContain(lsub, l => l.Contains("A&APE-o", StringComparison.Ordinal));
        await year.SubscribeAsync();
        Assert.Contains(await legacy.GetFoldersAsync(legacy.PersonalNamespaces[0], StatusItems.None, subscribedOnly: true), f => f.FullName == "Proyectos/Año 2024");
        lsub = (await ImapSessions.ExchangeAsync(server.Imaps, address, "LSUB \"\" \"Proyectos/*\""))[0];
        Assert.Equal(["* LSUB () \"/\" \"Proyectos/A&APE-o 2024\"", "t1 OK LSUB completed"], lsub);

        // RENAME moves the children along and keeps the messages; DELETE removes a mailbox and its messages.
        await projects.RenameAsync(personal, "Trabajo");
        var names = (await modern.GetFoldersAsync(modern.PersonalNamespaces[0])).Select(f => f.FullName).ToList();
        Assert.Contains("Trabajo/Año 2024", names);
        Assert.DoesNotContain(names, n => n.StartsWith("Proyectos", StringComparison.Ordinal));
        var moved = await modern.GetFolderAsync("Trabajo/Año 2024");
        await moved.StatusAsync(StatusItems.Count);
        Assert.Equal(1, moved.Count);
        await moved.DeleteAsync();
        Assert.DoesNotContain((await legacy.GetFoldersAsync(legacy.PersonalNamespaces[0])).Select(f => f.FullName), n => n == "Trabajo/Año 2024");
    }

    [Fact]
    public async Task Login_id_partial_and_binary_fetch_utf8_search_sort_and_uid_expunge()
    {
        var address = await ImapSessions.NewAccountAsync(server);
        var log = new MemoryStream();
        using var client = await ConnectLoggedAsync(server, address, log, login: true);
        Assert.Contains("LOGIN ", Text(log), StringComparison.Ordinal);
        Assert.DoesNotContain("AUTHENTICATE", Text(log), StringComparison.Ordinal);
        var id = await client.IdentifyAsync(new ImapImplementation { Name = "MailKit", Version = "4" });
        Assert.NotNull(id);
        Assert.False(string.IsNullOrEmpty(id.Name));

        var day = new DateTimeOffset(2025, 6, 1, 9, 0, 0, TimeSpan.Zero);
        var attachment = Enumerable.Range(0, 5000).Select(i => (byte)(i * 7)).ToArray();
        var withFile = Mail("zoe@remoto.test", "Factura del ñandú", day.AddDays(2), "");
        var builder = new BodyBuilder { TextBody = "Adjunta.\r\n" };
        builder.Attachments.Add("datos.bin", attachment, new ContentType("application", "octet-stream"));
        withFile.Body = builder.ToMessageBody();
        var inbox = client.Inbox;
        var first = (await inbox.AppendAsync(new AppendRequest(Mail("bea@remoto.test", "Corto", day.AddDays(1), "x\r\n")) { InternalDate = day })).GetValueOrDefault();
        var second = (await inbox.AppendAsync(new AppendRequest(withFile) { InternalDate = day.AddHours(1) })).GetValueOrDefault();
        var third = (await inbox.AppendAsync(new AppendRequest(Mail("ana@remoto.test", "Medio", day, new string('m', 900) + "\r\n")) { InternalDate = day.AddHours(2) })).GetValueOrDefault();
        await inbox.OpenAsync(FolderAccess.ReadWrite);

        // BODY[]<0.40> and the attachment decoded by the server (BINARY, RFC 3516) or by MailKit.
        using (var head = await inbox.GetStreamAsync(second, 0, 40))
        {
            using var bytes = new MemoryStream();
            await head.CopyToAsync(bytes);
            using var whole = await inbox.GetStreamAsync(second, "");
            using var all = new MemoryStream();
            await whole.CopyToAsync(all);
            Assert.Equal(all.ToArray()[..40], bytes.ToArray());
        }
        var summary = Assert.Single(await inbox.FetchAsync([second], MessageSummaryItems.BodyStructure));
        var part = (MimePart)await inbox.GetBodyPartAsync(second, summary.Attachments!.Single());
        using (var decoded = new MemoryStream())
        {
            await part.Content!.DecodeToAsync(decoded);
            Assert.Equal(attachment, decoded.ToArray());
        }

        var binary = await ImapSessions.ExchangeAsync(server.Imaps, address, "EXAMINE INBOX", $"UID FETCH {second.Id} (BINARY.SIZE[2] BINARY.PEEK[1])");
        Assert.Equal($"* 2 FETCH (UID {second.Id} BINARY.SIZE[2] {attachment.Length} BINARY[1] {{10}}", binary[1][0]);
        Assert.Equal(["Adjunta.", ")"], binary[1].Skip(1).Take(2));

        // SEARCH with CHARSET UTF-8, and SORT (RFC 5256) by arrival, date, sender and size.
        Assert.Equal([second], await inbox.SearchAsync(SearchQuery.SubjectContains("ñandú")));
        Assert.Contains("CHARSET UTF-8", Text(log), StringComparison.Ordinal);
        Assert.Equal([first, second, third], await inbox.SortAsync(SearchQuery.All, [OrderBy.Arrival]));
        Assert.Equal([third, first, second], await inbox.SortAsync(SearchQuery.All, [OrderBy.Date]));
        Assert.Equal([third, first, second], await inbox.SortAsync(SearchQuery.All, [OrderBy.From]));
        Assert.Equal([second, third, first], await inbox.SortAsync(SearchQuery.All, [OrderBy.ReverseSize]));

        // UID EXPUNGE removes only the deleted messages named.
        await inbox.AddFlagsAsync([first, third], MessageFlags.Deleted, silent: true);
        await inbox.ExpungeAsync([first]);
        Assert.Equal([second, third], await inbox.SearchAsync(SearchQuery.All));
        Assert.Contains("UID EXPUNGE ", Text(log), StringComparison.Ordinal);
        await client.DisconnectAsync(true);
    }
}

public sealed class ImapMailboxOnSqliteTests(ServerFixture server) : ImapMailboxTests(server), IClassFixture<ServerFixture>;

public sealed class ImapMailboxOnPostgresTests(PostgresServerFixture server) : ImapMailboxTests(server), IClassFixture<PostgresServerFixture>;
