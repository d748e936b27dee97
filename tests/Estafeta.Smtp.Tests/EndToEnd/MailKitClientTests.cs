using System.Text;
using Estafeta.Smtp.Tests.Support;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace Estafeta.Smtp.Tests.EndToEnd;

/// <summary>MailKit's SmtpClient, the client most .NET programs use, against the real server.</summary>
public sealed class MailKitClientTests
{
    private const string Login = "alice@example.test";
    private const string Password = "s3cret-pässword";

    private static SmtpClient Client() => new() { ServerCertificateValidationCallback = (_, _, _, _) => true, Timeout = 20_000 };

    private static MimeMessage Message(string from = Login, string to = "bob@example.test", string subject = "Hello", string body = "Hi Bob.")
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse(from));
        message.To.Add(MailboxAddress.Parse(to));
        message.Subject = subject;
        message.Body = new TextPart("plain") { Text = body };
        return message;
    }

    [Fact]
    public async Task Submission_with_starttls_and_auth_plain_delivers_a_message()
    {
        await using var server = new TestServer(TestServer.Submission);
        using var client = Client();
        client.AuthenticationMechanisms.Remove("LOGIN");
        await client.ConnectAsync(server.EndPoint.Address.ToString(), server.EndPoint.Port, SecureSocketOptions.StartTls);
        Assert.True(client.IsSecure);
        Assert.Contains("PLAIN", client.AuthenticationMechanisms);
        await client.AuthenticateAsync(Login, Password);
        var response = await client.SendAsync(Message());
        await client.DisconnectAsync(quit: true);

        Assert.Contains("queued as QUEUED1", response, StringComparison.Ordinal);
        var message = server.Sink.Single();
        Assert.Equal(new SmtpPrincipal(42, Login), message.Session.Principal);
        Assert.NotNull(message.Session.Tls);
        Assert.Contains("Subject: Hello", Encoding.UTF8.GetString(message.Content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_password_is_refused()
    {
        await using var server = new TestServer(TestServer.Submission);
        using var client = Client();
        await client.ConnectAsync(server.EndPoint.Address.ToString(), server.EndPoint.Port, SecureSocketOptions.StartTls);
        var e = await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync(Login, "wrong"));
        Assert.Contains("invalid", e.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Implicit_tls_delivers_a_message()
    {
        await using var server = new TestServer(o => TestServer.Submission(o) with { Certificate = null }, implicitTls: true);
        using var client = Client();
        await client.ConnectAsync(server.EndPoint.Address.ToString(), server.EndPoint.Port, SecureSocketOptions.SslOnConnect);
        Assert.True(client.IsSecure);
        await client.AuthenticateAsync(new SaslMechanismLogin(Login, Password));
        await client.SendAsync(Message());
        await client.DisconnectAsync(quit: true);
        Assert.NotNull(server.Sink.Single().Session.Tls);
    }

    [Fact]
    public async Task Smtputf8_addresses_and_subject_arrive_intact()
    {
        await using var server = new TestServer(TestServer.WithTls);
        using var client = Client();
        await client.ConnectAsync(server.EndPoint.Address.ToString(), server.EndPoint.Port, SecureSocketOptions.StartTls);
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.UTF8));
        await client.SendAsync(Message(from: "josé@ejemplo.test", to: "zoë@bücher.test", subject: "¡Olé, señor!"));
        await client.DisconnectAsync(quit: true);

        var message = server.Sink.Single();
        Assert.Equal("josé@ejemplo.test", message.From.Address);
        Assert.True(message.From.SmtpUtf8);
        Assert.Equal("zoë@bücher.test", Assert.Single(message.Recipients).Address);
        using var parsed = MimeMessage.Load(new MemoryStream(message.Content));
        Assert.Equal("¡Olé, señor!", parsed.Subject);
        Assert.Equal("josé@ejemplo.test", parsed.From.Mailboxes.Single().Address);
    }

    [Fact]
    public async Task An_8bit_body_is_sent_with_8bitmime()
    {
        await using var server = new TestServer();
        using var client = Client();
        await client.ConnectAsync(server.EndPoint.Address.ToString(), server.EndPoint.Port, SecureSocketOptions.None);
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.EightBitMime));
        var message = Message(body: "Crème brûlée à volonté.\n.\nA line with only a dot above.");
        var part = Assert.IsType<TextPart>(message.Body);
        part.ContentTransferEncoding = ContentEncoding.EightBit;
        await client.SendAsync(message);
        await client.DisconnectAsync(quit: true);

        var received = server.Sink.Single();
        Assert.Equal(BodyType.EightBitMime, received.From.Body);
        Assert.True(received.Body.HasEightBit);
        Assert.Contains("\r\n\r\nCrème brûlée à volonté.\r\n.\r\nA line with only a dot above.", Encoding.UTF8.GetString(received.Content), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Many_recipients_are_pipelined()
    {
        await using var server = new TestServer();
        using var client = Client();
        await client.ConnectAsync(server.EndPoint.Address.ToString(), server.EndPoint.Port, SecureSocketOptions.None);
        Assert.True(client.Capabilities.HasFlag(SmtpCapabilities.Pipelining));
        var message = Message();
        message.To.Clear();
        for (var i = 0; i < 50; i++) message.To.Add(MailboxAddress.Parse($"r{i}@example.test"));
        await client.SendAsync(message);
        await client.SendAsync(Message(subject: "second"));
        await client.DisconnectAsync(quit: true);

        Assert.Equal(2, server.Sink.Committed.Count);
        Assert.Equal(50, server.Sink.Committed.First().Recipients.Count);
    }

    [Fact]
    public async Task A_refused_recipient_is_reported_to_the_client()
    {
        await using var server = new TestServer();
        using var client = Client();
        await client.ConnectAsync(server.EndPoint.Address.ToString(), server.EndPoint.Port, SecureSocketOptions.None);
        var e = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Message(to: "unknown@example.test")));
        Assert.Equal(SmtpErrorCode.RecipientNotAccepted, e.ErrorCode);
        Assert.Equal(SmtpStatusCode.MailboxUnavailable, e.StatusCode);
        Assert.Empty(server.Sink.Committed);
    }

    [Fact]
    public async Task A_message_over_the_size_limit_is_refused_at_mail()
    {
        await using var server = new TestServer(o => o with { MaxMessageSize = 2000 });
        using var client = Client();
        await client.ConnectAsync(server.EndPoint.Address.ToString(), server.EndPoint.Port, SecureSocketOptions.None);
        Assert.Equal(2000u, client.MaxSize);
        var e = await Assert.ThrowsAsync<SmtpCommandException>(() => client.SendAsync(Message(body: new string('x', 5000))));
        Assert.Equal(SmtpStatusCode.ExceededStorageAllocation, e.StatusCode);
        Assert.Empty(server.Sink.Committed);
    }
}
