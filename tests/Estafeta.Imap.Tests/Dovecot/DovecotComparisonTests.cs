using System.Text;
using Estafeta.Imap.Tests.Support;

namespace Estafeta.Imap.Tests.Dovecot;

/// <summary>
/// ENVELOPE, BODYSTRUCTURE, BODY and RFC822.SIZE for the sample messages under Data/ must be what Dovecot 2.3.19
/// answered for the same messages (recorded in Data/dovecot-fetch.txt with "FETCH 1:* (ENVELOPE BODYSTRUCTURE BODY
/// RFC822.SIZE)" after delivering simple, nested, rfc822, campaign and eightbit in that order).
/// </summary>
public sealed class DovecotComparisonTests
{
    private static readonly string[] Samples = ["simple.eml", "nested.eml", "rfc822.eml", "campaign.eml", "eightbit.eml"];

    [Fact]
    public async Task Envelope_and_bodystructure_agree_with_dovecot_for_every_sample()
    {
        await using var server = ImapHarness.Start();
        foreach (var sample in Samples) server.Alice.Deliver("INBOX", Messages.File(sample));
        await using var client = await server.SelectInboxAsync();
        var reply = await client.CommandAsync("FETCH 1:* (RFC822.SIZE ENVELOPE BODYSTRUCTURE BODY)");
        client.AssertOk(reply);

        var expected = Responses(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Data", "dovecot-fetch.txt"), Encoding.UTF8));
        Assert.Equal(expected.Count, reply.Untagged.Count);
        for (var i = 0; i < expected.Count; i++) Assert.Equal(expected[i], reply.Untagged[i]);
    }

    [Fact]
    public async Task Sections_agree_with_dovecot()
    {
        await using var server = ImapHarness.Start();
        foreach (var sample in Samples) server.Alice.Deliver("INBOX", Messages.File(sample));
        await using var client = await server.SelectInboxAsync();
        var reply = await client.CommandAsync("FETCH 3 (BODY.PEEK[2.MIME] BODY.PEEK[2.1.TEXT] BODY.PEEK[2.1])");
        Assert.Equal("* 3 FETCH (BODY[2.MIME] {61}\r\nContent-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n BODY[2.1.TEXT] {0}\r\n BODY[2.1] {14}\r\nLunch at noon.)", reply.Untagged.Single());
        var single = await client.CommandAsync("FETCH 1 (BODY.PEEK[1])");
        Assert.Equal("* 1 FETCH (BODY[1] {55}\r\nHello Joe, do you think we can meet at 3:30 tomorrow?\r\n)", single.Untagged.Single());
        var binary = await client.CommandAsync("FETCH 4 (BINARY.SIZE[1.1] BODY.PEEK[1]<0.20>)");
        Assert.Equal("* 4 FETCH (BINARY.SIZE[1.1] 39 BODY[1]<0> {20}\r\n--alt\r\nContent-Type:)", binary.Untagged.Single());
    }

    /// <summary>The untagged responses of a recorded answer, literals inline, as <see cref="ImapTestClient"/> reads them.</summary>
    private static List<string> Responses(string recorded)
    {
        var responses = new List<string>();
        var current = new StringBuilder();
        var lines = recorded.Split("\r\n");
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (current.Length == 0 && !line.StartsWith("* ", StringComparison.Ordinal)) continue;
            current.Append(line);
            if (line.EndsWith('}'))
            {
                current.Append("\r\n");
                continue;
            }
            responses.Add(current.ToString());
            current.Clear();
        }
        return responses;
    }
}
