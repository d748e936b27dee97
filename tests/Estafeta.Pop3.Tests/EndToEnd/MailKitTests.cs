using System.Text;
using Estafeta.Pop3.Tests.Support;
using MailKit;
using MailKit.Net.Pop3;
using MailKit.Security;
using Xunit.Abstractions;

namespace Estafeta.Pop3.Tests.EndToEnd;

/// <summary>MailKit's Pop3Client, the client our users' tools are built on, against the real server
/// over STLS and over implicit TLS. The protocol transcript goes to the test output.</summary>
public sealed class MailKitTests(ITestOutputHelper output)
{
    private static readonly byte[][] Stored =
    [
        Encoding.UTF8.GetBytes(Messages.Spanish),
        Encoding.UTF8.GetBytes(Messages.WithDots),
        Encoding.UTF8.GetBytes(Messages.Short),
    ];

    [Fact]
    public Task Mailkit_over_stls_authenticates_downloads_byte_for_byte_and_deletes() =>
        RoundTripAsync(implicitTls: false, SecureSocketOptions.StartTls);

    [Fact]
    public Task Mailkit_over_implicit_tls_authenticates_downloads_byte_for_byte_and_deletes() =>
        RoundTripAsync(implicitTls: true, SecureSocketOptions.SslOnConnect);

    [Fact]
    public async Task Mailkit_sees_the_advertised_capabilities()
    {
        await using var server = Pop3Harness.Start(o => o with { AllowPlaintextAuth = false });
        server.Backend.AddAccount("alice", "contraseña");
        var transcript = new MemoryStream();
        try
        {
            using var client = NewClient(transcript);
            await client.ConnectAsync("127.0.0.1", server.EndPoint.Port, SecureSocketOptions.StartTls);

            Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.Top));
            Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.UIDL));
            Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.User));
            Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.Pipelining));
            Assert.True(client.Capabilities.HasFlag(Pop3Capabilities.Sasl));
            Assert.Contains("PLAIN", client.AuthenticationMechanisms);
            Assert.Equal("Estafeta", client.Implementation);
            Assert.True(client.IsSecure);
            await client.DisconnectAsync(quit: true);
        }
        finally
        {
            output.WriteLine(Encoding.UTF8.GetString(transcript.ToArray()));
        }
    }

    [Fact]
    public async Task Mailkit_gets_an_authentication_error_for_a_wrong_password()
    {
        await using var server = Pop3Harness.Start(o => o with { AllowPlaintextAuth = false }, implicitTls: true);
        server.Backend.AddAccount("alice", "contraseña");
        var transcript = new MemoryStream();
        try
        {
            using var client = NewClient(transcript);
            await client.ConnectAsync("127.0.0.1", server.EndPoint.Port, SecureSocketOptions.SslOnConnect);

            await Assert.ThrowsAsync<AuthenticationException>(() => client.AuthenticateAsync("alice", "wrong"));
        }
        finally
        {
            output.WriteLine(Encoding.UTF8.GetString(transcript.ToArray()));
        }
    }

    private async Task RoundTripAsync(bool implicitTls, SecureSocketOptions security)
    {
        await using var server = Pop3Harness.Start(o => o with { AllowPlaintextAuth = false }, implicitTls);
        var account = server.Backend.AddAccount("alice", "contraseña", Stored);
        var transcript = new MemoryStream();
        try
        {
            using (var client = NewClient(transcript))
            {
                await client.ConnectAsync("127.0.0.1", server.EndPoint.Port, security);
                await client.AuthenticateAsync("alice", "contraseña");

                Assert.Equal(3, client.Count);
                Assert.Equal(Stored.Select(m => m.Length), await client.GetMessageSizesAsync());
                Assert.Equal(account.Snapshot().Select(m => m.UniqueId), await client.GetMessageUidsAsync());
                for (var i = 0; i < Stored.Length; i++)
                    Assert.Equal(Stored[i], await ReadAllAsync(await client.GetStreamAsync(i)));
                var headers = await ReadAllAsync(await client.GetStreamAsync(0, headersOnly: true));
                Assert.Equal(Messages.Spanish[..(Messages.Spanish.IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4)], Encoding.UTF8.GetString(headers));
                var message = await client.GetMessageAsync(0);
                Assert.Equal("Año nuevo: ¡señales de éxito en la campaña!", message.Subject);

                await client.DeleteMessageAsync(0);
                await client.DeleteMessageAsync(1);
                await client.DisconnectAsync(quit: true);
            }
            await account.Released;

            using (var client = NewClient(transcript))
            {
                await client.ConnectAsync("127.0.0.1", server.EndPoint.Port, security);
                await client.AuthenticateAsync("alice", "contraseña");

                Assert.Equal(1, client.Count);
                Assert.Equal(Stored[2], await ReadAllAsync(await client.GetStreamAsync(0)));
                await client.DisconnectAsync(quit: true);
            }
        }
        finally
        {
            output.WriteLine(Encoding.UTF8.GetString(transcript.ToArray()));
        }
    }

    private static Pop3Client NewClient(Stream transcript)
    {
        var client = new Pop3Client(new ProtocolLogger(transcript, leaveOpen: true));
        client.ServerCertificateValidationCallback = (_, _, _, _) => true;
        client.Timeout = (int)Pop3TestClient.ReadTimeout.TotalMilliseconds;
        return client;
    }

    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        await using (stream)
        {
            var copy = new MemoryStream();
            await stream.CopyToAsync(copy);
            return copy.ToArray();
        }
    }
}
