using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class SortCommandTests
{
    [Fact]
    public async Task Sort_orders_by_base_subject_date_size_and_reverse()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", "From: zed@example.org\r\nSubject: Re: beta\r\nDate: Wed, 03 Jan 2024 10:00:00 +0000\r\n\r\nxxxxxxxxxxxxxxx\r\n");
        server.Alice.Deliver("INBOX", "From: amy@example.org\r\nSubject: [list] alpha\r\nDate: Mon, 01 Jan 2024 10:00:00 +0000\r\n\r\nx\r\n");
        server.Alice.Deliver("INBOX", "From: max@example.org\r\nSubject: Fwd: gamma\r\nDate: Tue, 02 Jan 2024 10:00:00 +0100\r\n\r\nxxxxxxx\r\n");
        await using var client = await server.SelectInboxAsync();
        Assert.Equal("* SORT 2 1 3", (await client.CommandAsync("SORT (SUBJECT) UTF-8 ALL")).Untagged.Single());
        Assert.Equal("* SORT 2 3 1", (await client.CommandAsync("SORT (DATE) UTF-8 ALL")).Untagged.Single());
        Assert.Equal("* SORT 1 3 2", (await client.CommandAsync("SORT (REVERSE SIZE) UTF-8 ALL")).Untagged.Single());
        Assert.Equal("* SORT 2 3 1", (await client.CommandAsync("SORT (FROM) UTF-8 ALL")).Untagged.Single());
        Assert.Equal("* SORT 3 2 1", (await client.CommandAsync("UID SORT (REVERSE ARRIVAL) US-ASCII ALL")).Untagged.Single());
    }

    [Fact]
    public async Task A_message_whose_header_cannot_be_parsed_sorts_as_one_without_header()
    {
        await using var server = ImapHarness.Start();
        server.Alice.Deliver("INBOX", Messages.Simple(subject: "b"));
        server.Alice.Deliver("INBOX", "x\r\n");
        await using var client = await server.SelectInboxAsync();
        Assert.Equal("* SORT 2 1", (await client.CommandAsync("SORT (SUBJECT) UTF-8 ALL")).Untagged.Single());
        Assert.DoesNotContain(server.Log.Lines, line => line.StartsWith("Error", StringComparison.Ordinal));
    }
}
