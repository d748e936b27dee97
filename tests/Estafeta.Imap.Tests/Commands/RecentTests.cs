using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

/// <summary>\Recent (RFC 3501 §2.3.2): recent for exactly one session, the first to select the mailbox after the
/// message arrived or the selected session told of its arrival; EXAMINE takes nothing away; IMAP4rev2 has none.</summary>
public sealed class RecentTests
{
    [Fact]
    public async Task Only_the_first_session_to_select_sees_the_messages_as_recent()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.Simple());
        server.Alice.Deliver("INBOX", Messages.Simple());
        await using var first = await server.LoginAsync();
        Assert.Equal("* STATUS \"INBOX\" (MESSAGES 2 RECENT 2)", (await first.CommandAsync("STATUS INBOX (MESSAGES RECENT)")).Untagged.Single());

        var select = await first.CommandAsync("SELECT INBOX");
        Assert.Contains("* 2 EXISTS", select.Untagged);
        Assert.Contains("* 2 RECENT", select.Untagged);
        Assert.Equal("* 1 FETCH (FLAGS (\\Recent))", (await first.CommandAsync("FETCH 1 FLAGS")).Untagged.Single());
        Assert.Equal("* SEARCH 1 2", (await first.CommandAsync("SEARCH RECENT")).Untagged.Single());
        first.AssertOk(await first.CommandAsync("STORE 2 +FLAGS.SILENT (\\Seen)"));
        Assert.Equal("* SEARCH 1", (await first.CommandAsync("SEARCH NEW")).Untagged.Single());
        Assert.Equal("* SEARCH", (await first.CommandAsync("SEARCH OLD")).Untagged.Single());

        await using var second = await server.LoginAsync();
        Assert.Equal("* STATUS \"INBOX\" (RECENT 0)", (await second.CommandAsync("STATUS INBOX (RECENT)")).Untagged.Single());
        var again = await second.CommandAsync("SELECT INBOX");
        Assert.Contains("* 0 RECENT", again.Untagged);
        Assert.Equal("* 1 FETCH (FLAGS ())", (await second.CommandAsync("FETCH 1 FLAGS")).Untagged.Single());
        Assert.Equal("* SEARCH", (await second.CommandAsync("SEARCH RECENT")).Untagged.Single());
        Assert.Equal("* SEARCH 1 2", (await second.CommandAsync("SEARCH OLD")).Untagged.Single());

        // The first session keeps its \Recent until it leaves the mailbox.
        Assert.Equal("* 1 FETCH (FLAGS (\\Recent))", (await first.CommandAsync("FETCH 1 FLAGS")).Untagged.Single());
    }

    [Fact]
    public async Task A_selected_session_told_of_a_new_message_takes_its_recent_flag()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.Simple());
        await using var watcher = await server.SelectInboxAsync();
        server.Alice.Deliver("INBOX", Messages.Simple());
        var noop = await watcher.CommandAsync("NOOP");
        Assert.Equal(["* 2 EXISTS", "* 2 RECENT"], noop.Untagged);
        Assert.Equal("* 2 FETCH (UID 2 FLAGS (\\Recent))", (await watcher.CommandAsync("UID FETCH 2 FLAGS")).Untagged.Single());

        await using var late = await server.LoginAsync();
        Assert.Contains("* 0 RECENT", (await late.CommandAsync("SELECT INBOX")).Untagged);

        // An expunged recent message no longer counts.
        watcher.AssertOk(await watcher.CommandAsync("STORE 1 +FLAGS.SILENT (\\Deleted)"));
        watcher.AssertOk(await watcher.CommandAsync("EXPUNGE"));
        server.Alice.Deliver("INBOX", Messages.Simple());
        Assert.Equal(["* 2 EXISTS", "* 2 RECENT"], (await watcher.CommandAsync("NOOP")).Untagged);
        Assert.Equal(["* 1 EXPUNGE", "* 2 EXISTS", "* 0 RECENT"], (await late.CommandAsync("NOOP")).Untagged);
    }

    [Fact]
    public async Task Examine_shows_recent_messages_without_taking_them_away()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.Simple());
        await using var reader = await server.LoginAsync();
        Assert.Contains("* 1 RECENT", (await reader.CommandAsync("EXAMINE INBOX")).Untagged);
        Assert.Equal("* 1 FETCH (FLAGS (\\Recent))", (await reader.CommandAsync("FETCH 1 FLAGS")).Untagged.Single());

        await using var writer = await server.LoginAsync();
        Assert.Contains("* 1 RECENT", (await writer.CommandAsync("SELECT INBOX")).Untagged);
        await using var third = await server.LoginAsync();
        Assert.Contains("* 0 RECENT", (await third.CommandAsync("EXAMINE INBOX")).Untagged);
    }

    [Fact]
    public async Task Imap4rev2_sessions_get_no_recent_and_take_none()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.Simple());
        await using var rev2 = await server.LoginAsync();
        rev2.AssertOk(await rev2.CommandAsync("ENABLE IMAP4rev2"));
        var select = await rev2.CommandAsync("SELECT INBOX");
        Assert.DoesNotContain(select.Untagged, l => l.EndsWith("RECENT", StringComparison.Ordinal));
        Assert.Equal("* 1 FETCH (FLAGS ())", (await rev2.CommandAsync("FETCH 1 FLAGS")).Untagged.Single());
        server.Alice.Deliver("INBOX", Messages.Simple());
        Assert.Equal(["* 2 EXISTS"], (await rev2.CommandAsync("NOOP")).Untagged);

        await using var rev1 = await server.LoginAsync();
        Assert.Contains("* 2 RECENT", (await rev1.CommandAsync("SELECT INBOX")).Untagged);
    }
}
