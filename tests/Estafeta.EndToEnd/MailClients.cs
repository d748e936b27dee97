using System.Net;
using MailKit.Net.Pop3;
using MailKit.Net.Smtp;
using MailKit.Security;

namespace Estafeta.EndToEnd;

/// <summary>MailKit clients connected to a test server; the self-signed certificate is accepted.</summary>
public static class MailClients
{
    public static async Task<SmtpClient> SmtpAsync(IPEndPoint endpoint, SecureSocketOptions security, string? login = null, string password = ServerFixture.Password)
    {
        var client = new SmtpClient { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 30_000 };
        await client.ConnectAsync(endpoint.Address.ToString(), endpoint.Port, security);
        if (login is not null) await client.AuthenticateAsync(login, password);
        return client;
    }

    public static async Task<Pop3Client> Pop3Async(IPEndPoint endpoint, string login, SecureSocketOptions security = SecureSocketOptions.StartTls, string password = ServerFixture.Password)
    {
        var client = new Pop3Client { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 30_000 };
        await client.ConnectAsync(endpoint.Address.ToString(), endpoint.Port, security);
        await client.AuthenticateAsync(login, password);
        return client;
    }

    /// <summary>The raw bytes of every message in a POP3 maildrop, in order.</summary>
    public static async Task<List<byte[]>> RetrieveAllAsync(IPEndPoint pop3, string login, SecureSocketOptions security = SecureSocketOptions.StartTls)
    {
        using var client = await Pop3Async(pop3, login, security);
        var result = new List<byte[]>();
        for (var i = 0; i < client.Count; i++)
        {
            using var stream = await client.GetStreamAsync(i);
            using var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            result.Add(copy.ToArray());
        }
        await client.DisconnectAsync(true);
        return result;
    }
}
