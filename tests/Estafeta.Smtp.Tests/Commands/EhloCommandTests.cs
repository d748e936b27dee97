using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Commands;

public sealed class EhloCommandTests
{
    [Fact]
    public async Task Ehlo_lists_the_extensions()
    {
        await using var server = new TestServer(o => o with { MaxMessageSize = 1_000_000 });
        await using var client = await server.ConnectAsync();
        var reply = await client.CommandAsync("EHLO client.example.test", "250");
        Assert.Equal(
            "250-mx.example.test\n250-PIPELINING\n250-SIZE 1000000\n250-8BITMIME\n250-SMTPUTF8\n250-ENHANCEDSTATUSCODES\n250 DSN",
            reply);
    }

    [Fact]
    public async Task Ehlo_offers_starttls_when_a_certificate_exists()
    {
        await using var server = new TestServer(TestServer.WithTls);
        await using var client = await server.ConnectAsync();
        Assert.Contains("250 STARTTLS", await client.CommandAsync("EHLO client.example.test", "250"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_is_not_offered_before_tls()
    {
        await using var server = new TestServer(TestServer.Submission);
        await using var client = await server.ConnectAsync();
        var reply = await client.CommandAsync("EHLO client.example.test", "250");
        Assert.Contains("STARTTLS", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("AUTH", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_is_offered_after_tls_and_starttls_no_longer()
    {
        await using var server = new TestServer(TestServer.Submission);
        await using var client = await server.GreetAsync();
        await client.CommandAsync("STARTTLS", "220 2.0.0");
        await client.StartTlsAsync();
        var reply = await client.CommandAsync("EHLO client.example.test", "250");
        Assert.Contains("250 AUTH PLAIN LOGIN", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("STARTTLS", reply, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_is_offered_over_plaintext_only_when_allowed()
    {
        await using var server = new TestServer(o => o with { Mode = SmtpMode.Submission, AllowPlaintextAuth = true });
        await using var client = await server.ConnectAsync();
        Assert.Contains("AUTH PLAIN LOGIN", await client.CommandAsync("EHLO client.example.test", "250"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Auth_is_never_offered_in_mx_mode()
    {
        await using var server = new TestServer(o => o with { AllowPlaintextAuth = true }, implicitTls: true);
        await using var client = await RawClient.ConnectAsync(server.EndPoint);
        await client.StartTlsAsync();
        await client.ExpectAsync("220 ");
        Assert.DoesNotContain("AUTH", await client.CommandAsync("EHLO client.example.test", "250"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Chunking_is_not_offered_and_bdat_is_unknown()
    {
        await using var server = new TestServer(TestServer.WithTls);
        await using var client = await server.ConnectAsync();
        Assert.DoesNotContain("CHUNKING", await client.CommandAsync("EHLO client.example.test", "250"), StringComparison.Ordinal);
        await client.CommandAsync("BDAT 10 LAST", "500 5.5.2");
    }

    [Fact]
    public async Task Ehlo_without_a_name_is_rejected_with_501()
    {
        await using var server = new TestServer();
        await using var client = await server.ConnectAsync();
        await client.CommandAsync("EHLO", "501 5.5.4");
    }

    [Fact]
    public async Task Ehlo_ends_a_mail_transaction_and_makes_an_esmtp_session()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("EHLO second.example.test", "250");
        await client.CommandAsync("RCPT TO:<b@example.test>", "503 5.5.1");
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        var last = server.Policy.Sessions.Last();
        Assert.Equal("second.example.test", last.HeloName);
        Assert.True(last.Esmtp);
    }
}
