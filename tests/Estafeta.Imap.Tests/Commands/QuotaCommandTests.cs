using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Commands;

public sealed class QuotaCommandTests
{
    [Fact]
    public async Task Getquotaroot_reports_storage_in_kilobytes()
    {
        await using var server = ImapHarness.Start();
        server.Alice.QuotaLimit = 10 * 1024 * 1024;
        server.Alice.Deliver("INBOX", new string('x', 3000));
        await using var client = await server.LoginAsync();
        var reply = await client.CommandAsync("GETQUOTAROOT INBOX");
        Assert.Equal(["* QUOTAROOT \"INBOX\" \"\"", "* QUOTA \"\" (STORAGE 3 10240)"], reply.Untagged);
        Assert.Equal("* QUOTA \"\" (STORAGE 3 10240)", (await client.CommandAsync("GETQUOTA \"\"")).Untagged.Single());
        Assert.Contains("[NOPERM]", (await client.CommandAsync("SETQUOTA \"\" (STORAGE 1)")).Tagged);
    }

    [Fact]
    public async Task An_append_over_quota_answers_overquota()
    {
        await using var server = ImapHarness.Start();
        server.Alice.QuotaLimit = 10;
        await using var client = await server.LoginAsync();
        var message = "Subject: too big\r\n\r\nx\r\n";
        await client.SendAsync($"a APPEND INBOX {{{message.Length}+}}\r\n{message}\r\n");
        Assert.Contains("[OVERQUOTA]", (await client.ReadReplyAsync("a")).Tagged);
    }
}
