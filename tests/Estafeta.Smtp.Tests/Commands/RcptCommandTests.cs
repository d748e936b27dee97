using Estafeta.Smtp.Tests.Support;

namespace Estafeta.Smtp.Tests.Commands;

public sealed class RcptCommandTests
{
    [Fact]
    public async Task Rcpt_before_mail_is_rejected_with_503()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        Assert.Equal("503 5.5.1 Need MAIL command", await client.CommandAsync("RCPT TO:<b@example.test>", "503"));
        Assert.Empty(server.Policy.Recipients);
    }

    [Fact]
    public async Task Recipients_reach_the_policy_with_their_parameters()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        Assert.Equal("250 2.1.5 Recipient ok", await client.CommandAsync("RCPT TO:<b@example.test> NOTIFY=SUCCESS,FAILURE ORCPT=rfc822;b+40example.test", "250"));
        var to = Assert.Single(server.Policy.Recipients);
        Assert.Equal("b@example.test", to.Address);
        Assert.Equal(DsnNotify.Success | DsnNotify.Failure, to.Notify);
        Assert.Equal(new OriginalRecipient("rfc822", "b@example.test"), to.OriginalRecipient);
    }

    [Fact]
    public async Task An_unknown_recipient_gets_the_policys_550()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("RCPT TO:<unknown@example.test>", "550 5.1.1");
        await client.CommandAsync("RCPT TO:<b@example.test>", "250");
    }

    /// <summary>A recipient with NEL (U+0085) got 451 4.3.0 and an error in the log: the policy's 550 quoting the
    /// address could not be made. It is now a bad address, refused by the grammar.</summary>
    [Fact]
    public async Task A_utf8_recipient_with_a_c1_control_is_a_bad_address_not_a_local_error()
    {
        var log = new CapturingLogger<SmtpServer>();
        await using var server = new TestServer(log: log);
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test> SMTPUTF8", "250");
        await client.CommandAsync("RCPT TO:<unknown\u0085@example.test>", "501 5.1.3");
        await client.CommandAsync("RCPT TO:<b@example.test>", "250");
        Assert.DoesNotContain(log.Lines, line => line.StartsWith("Error", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Too_many_recipients_get_452()
    {
        await using var server = new TestServer(o => o with { MaxRecipients = 2 });
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("RCPT TO:<b1@example.test>", "250");
        await client.CommandAsync("RCPT TO:<b2@example.test>", "250");
        Assert.Equal("452 4.5.3 Too many recipients", await client.CommandAsync("RCPT TO:<b3@example.test>", "452"));
        Assert.Equal(2, server.Policy.Recipients.Count);
    }

    [Fact]
    public async Task A_utf8_recipient_needs_smtputf8_on_mail()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("RCPT TO:<josé@ejemplo.test>", "553 5.6.7");
        await client.CommandAsync("RSET", "250");
        await client.CommandAsync("MAIL FROM:<a@example.test> SMTPUTF8", "250");
        await client.CommandAsync("RCPT TO:<josé@ejemplo.test>", "250");
        Assert.Equal("josé@ejemplo.test", Assert.Single(server.Policy.Recipients).Address);
    }

    [Fact]
    public async Task Postmaster_without_a_domain_is_accepted()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("RCPT TO:<Postmaster>", "250");
        Assert.Equal("", Assert.Single(server.Policy.Recipients).Domain);
    }

    [Fact]
    public async Task A_failing_policy_gets_451_and_the_session_goes_on()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("RCPT TO:<broken@example.test>", "451 4.3.0");
        await client.CommandAsync("RCPT TO:<b@example.test>", "250");
    }

    [Fact]
    public async Task A_bad_address_is_rejected_with_501()
    {
        await using var server = new TestServer();
        await using var client = await server.GreetAsync();
        await client.CommandAsync("MAIL FROM:<a@example.test>", "250");
        await client.CommandAsync("RCPT TO:<>", "501 5.1.3");
        await client.CommandAsync("RCPT TO:<b@example.test> FOO", "555 5.5.4");
        await client.CommandAsync("RCPT FROM:<b@example.test>", "501 5.5.4");
    }
}
