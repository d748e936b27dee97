using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class CreateCommandTests
{
    [Fact]
    public async Task Create_makes_a_mailbox_with_its_parents_and_an_optional_special_use()
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        client.AssertOk(await client.CommandAsync("CREATE a/b/"));
        client.AssertOk(await client.CommandAsync("CREATE Old (USE (\\Archive))"));
        var list = await client.CommandAsync("LIST \"\" *");
        Assert.Contains(list.Untagged, l => l.EndsWith("\"a/b\"", StringComparison.Ordinal));
        Assert.Contains("* LIST (\\HasNoChildren \\Archive) \"/\" \"Old\"", list.Untagged);
        Assert.Contains("[ALREADYEXISTS]", (await client.CommandAsync("CREATE inbox")).Tagged);
        Assert.Contains("[ALREADYEXISTS]", (await client.CommandAsync("CREATE Old")).Tagged);
        Assert.Contains("BAD", (await client.CommandAsync("CREATE a//b")).Tagged);
    }

    [Theory]
    [InlineData("&2AA-")]
    [InlineData("a&3AA-b")]
    [InlineData("a&,,4-")] // U+FFFE, which .NET's normalization refuses too
    public async Task Create_with_a_modified_utf7_name_that_is_no_valid_unicode_is_bad(string name)
    {
        await using var server = ImapHarness.Start();
        await using var client = await server.LoginAsync();
        Assert.EndsWith(" BAD The mailbox name is not valid Unicode", (await client.CommandAsync("CREATE " + name)).Tagged);
        Assert.DoesNotContain(server.Log.Lines, line => line.StartsWith("Error", StringComparison.Ordinal));
    }
}
