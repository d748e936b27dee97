using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using MailKit.Net.Imap;
using MailKit.Security;
using Estafeta.Storage;

namespace Estafeta.EndToEnd.Imap;

/// <summary>MailKit IMAP clients and fresh accounts on a test server.</summary>
public static class ImapSessions
{
    public static async Task<ImapClient> ConnectAsync(IPEndPoint endpoint, string login, SecureSocketOptions security = SecureSocketOptions.StartTls)
    {
        var client = new ImapClient { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 30_000 };
        await client.ConnectAsync(endpoint.Address.ToString(), endpoint.Port, security);
        await client.AuthenticateAsync(login, ServerFixture.Password);
        return client;
    }

    /// <summary>
    /// Sends each command (tagged t1, t2, ...) over implicit TLS and returns the tagged completion line of each:
    /// for commands MailKit would not send as they are (a SELECT of a name LIST never showed).
    /// </summary>
    public static async Task<IReadOnlyList<string>> RawAsync(IPEndPoint imaps, params string[] commands)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(imaps);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("mx.ejemplo.test");
        using var reader = new StreamReader(tls, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await reader.ReadLineAsync(timeout.Token);
        var completions = new List<string>();
        for (var i = 0; i < commands.Length; i++)
        {
            var tag = "t" + (i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            await tls.WriteAsync(Encoding.UTF8.GetBytes($"{tag} {commands[i]}\r\n"), timeout.Token);
            string? line;
            do line = await reader.ReadLineAsync(timeout.Token);
            while (line is not null && !line.StartsWith(tag + " ", StringComparison.Ordinal));
            completions.Add(line ?? "");
        }
        return completions;
    }

    /// <summary>
    /// Logs in over implicit TLS and sends each command (tagged t1, t2, ...), returning every line of each reply,
    /// the tagged completion last: for commands MailKit never sends (LSUB, BINARY). Replies must be text.
    /// </summary>
    public static async Task<IReadOnlyList<IReadOnlyList<string>>> ExchangeAsync(IPEndPoint imaps, string login, params string[] commands)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(imaps);
        await using var tls = new SslStream(tcp.GetStream(), false, (_, _, _, _) => true);
        await tls.AuthenticateAsClientAsync("mx.ejemplo.test");
        using var reader = new StreamReader(tls, Encoding.UTF8);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await reader.ReadLineAsync(timeout.Token);
        var replies = new List<IReadOnlyList<string>>();
        string[] all = [$"LOGIN \"{login}\" \"{ServerFixture.Password}\"", .. commands];
        for (var i = 0; i < all.Length; i++)
        {
            var tag = "t" + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await tls.WriteAsync(Encoding.UTF8.GetBytes($"{tag} {all[i]}\r\n"), timeout.Token);
            var lines = new List<string>();
            string? line;
            do
            {
                line = await reader.ReadLineAsync(timeout.Token) ?? throw new EndOfStreamException("the server closed the connection");
                lines.Add(line);
            }
            while (!line.StartsWith(tag + " ", StringComparison.Ordinal));
            if (i > 0) replies.Add(lines);
            else if (!line.StartsWith(tag + " OK", StringComparison.Ordinal)) throw new InvalidOperationException(line);
        }
        return replies;
    }

    /// <summary>A new account of ejemplo.test (password <see cref="ServerFixture.Password"/>), so tests sharing a server stay independent.</summary>
    public static async Task<string> NewAccountAsync(ServerFixture server, long quotaBytes = 0)
    {
        var address = "imap-" + Guid.NewGuid().ToString("N")[..12] + "@ejemplo.test";
        await new AccountStore(server.Host.Database).AddAsync(address, ServerFixture.Password, quotaBytes);
        return address;
    }
}
