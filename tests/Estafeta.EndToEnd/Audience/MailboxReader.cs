using System.Text.RegularExpressions;
using MimeKit;

namespace Estafeta.EndToEnd.Audience;

/// <summary>Reads a local mailbox over POP3 and finds the messages about one list.</summary>
public static partial class MailboxReader
{
    public static async Task<List<MimeMessage>> MessagesAsync(AudienceServerFixture server, string account, string subjectContains)
    {
        var all = await MailClients.RetrieveAllAsync(server.Pop3, account);
        return [.. all.Select(bytes => MimeMessage.Load(new MemoryStream(bytes))).Where(m => (m.Subject ?? "").Contains(subjectContains, StringComparison.Ordinal))];
    }

    /// <summary>The confirmation link in the plain text part.</summary>
    public static string ConfirmationLink(MimeMessage message)
    {
        var match = Link().Match(message.TextBody ?? "");
        Assert.True(match.Success, message.TextBody);
        return match.Value;
    }

    [GeneratedRegex(@"http://[^\s]+/confirm/[a-z0-9-]+")]
    private static partial Regex Link();
}
