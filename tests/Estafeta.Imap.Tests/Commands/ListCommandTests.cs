using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class ListCommandTests
{
    [Fact]
    public async Task List_star_returns_every_mailbox_with_special_use_and_children()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        client.AssertOk(await client.CommandAsync("CREATE Projects/2024"));
        var reply = await client.CommandAsync("LIST \"\" \"*\"");
        Assert.Equal("* LIST (\\HasNoChildren) \"/\" \"INBOX\"", reply.Untagged[0]);
        Assert.Contains("* LIST (\\HasNoChildren \\Sent) \"/\" \"Sent\"", reply.Untagged);
        Assert.Contains("* LIST (\\HasChildren) \"/\" \"Projects\"", reply.Untagged);
        Assert.Contains("* LIST (\\HasNoChildren) \"/\" \"Projects/2024\"", reply.Untagged);
    }

    [Fact]
    public async Task List_percent_stops_at_the_separator()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        client.AssertOk(await client.CommandAsync("CREATE Projects/2024"));
        var reply = await client.CommandAsync("LIST \"\" %");
        Assert.DoesNotContain(reply.Untagged, l => l.Contains("2024"));
    }

    [Fact]
    public async Task A_pattern_with_a_character_that_has_no_normal_form_matches_nothing()
    {
        // U+FFFE sent as UTF-8: string.Normalize threw in the command and the session logged a store failure.
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        var reply = await client.CommandAsync("LIST \"\" \"a\uFFFE*\"");
        client.AssertOk(reply);
        Assert.Empty(reply.Untagged);
        Assert.DoesNotContain(server.Log.Lines, line => line.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task List_of_an_empty_pattern_gives_the_separator()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        Assert.Equal("* LIST (\\Noselect) \"/\" \"\"", (await client.CommandAsync("LIST \"\" \"\"")).Untagged.Single());
    }

    [Fact]
    public async Task List_extended_selects_subscribed_and_returns_status()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        client.AssertOk(await client.CommandAsync("UNSUBSCRIBE Junk"));
        var reply = await client.CommandAsync("LIST (SUBSCRIBED) \"\" \"*\" RETURN (STATUS (MESSAGES UNSEEN))");
        Assert.DoesNotContain(reply.Untagged, l => l.Contains("Junk"));
        Assert.Contains("* LIST (\\HasNoChildren \\Subscribed) \"/\" \"INBOX\"", reply.Untagged);
        Assert.Contains("* STATUS \"INBOX\" (MESSAGES 0 UNSEEN 0)", reply.Untagged);
    }

    [Fact]
    public async Task List_special_use_selects_only_special_mailboxes()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        var reply = await client.CommandAsync("LIST (SPECIAL-USE) \"\" \"*\"");
        Assert.Equal(5, reply.Untagged.Count);
    }

    [Fact]
    public async Task Rev1_clients_get_modified_utf7_and_utf8_clients_get_utf8()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        client.AssertOk(await client.CommandAsync("CREATE Caf&AOk-"));
        Assert.Contains("* LIST (\\HasNoChildren) \"/\" \"Caf&AOk-\"", (await client.CommandAsync("LIST \"\" Caf*")).Untagged);
        client.AssertOk(await client.CommandAsync("ENABLE UTF8=ACCEPT"));
        Assert.Contains("* LIST (\\HasNoChildren) \"/\" \"Café\"", (await client.CommandAsync("LIST \"\" Caf*")).Untagged);
    }
}
