using System.Text;
using Estafeta.Mail.Outbound.Tests.Support;
using Estafeta.Storage;

namespace Estafeta.Mail.Outbound.Tests.Fuzz;

/// <summary>What the fuzz tests of the SMTP client found, each with the smallest server that shows it: one
/// session of <see cref="SmtpDelivery"/> with one message to one recipient against a server that answers as
/// a Postfix would, but for the one reply under test.</summary>
public sealed class HostileReplyTests
{
    private const string Recipient = "bea@destino.test";

    [Fact]
    public async Task A_greeting_that_is_no_reply_gives_a_refusal_whose_text_has_no_control_character()
    {
        var (_, refused, _) = await SessionAsync(command => command is null ? "220\u0085\r\n" : null);

        var answer = refused!.Answer;
        Assert.Equal("4.4.1", answer.Status);
        Assert.DoesNotContain(answer.ToString(), char.IsControl);
        Assert.Contains("not an SMTP reply: 220", answer.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Control_characters_in_a_refusal_are_kept_out_of_the_answer()
    {
        var (result, _, _) = await SessionAsync(command => command?.StartsWith("RCPT", StringComparison.Ordinal) == true
            ? "550-5.1.1 No such\0user\u001b[2J\r\n550 5.1.1 here\u0085\u007f\r\n" : null);

        var answer = result!.Answers[1];
        Assert.Equal(new SmtpAnswer(550, "5.1.1", "No such user [2J 5.1.1 here"), answer);
    }

    [Fact]
    public void Answer_texts_are_cut_to_a_bounded_length_without_splitting_a_character()
    {
        var answer = SmtpAnswer.From(550, "5.7.1 " + new string('x', 3000));
        // The whole text is cut, then the enhanced code taken out of it.
        Assert.Equal(new string('x', SmtpAnswer.MaxText - "5.7.1 ".Length), answer.Text);

        var emoji = SmtpAnswer.Temporary("4.4.2", new string('x', SmtpAnswer.MaxText - 1) + "\ud83d\ude00 and more");
        Assert.Equal(new string('x', SmtpAnswer.MaxText - 1), emoji.Text);
    }

    [Fact]
    public async Task A_reply_whose_lines_have_different_codes_is_a_protocol_error_not_the_last_lines_code()
    {
        var (result, _, session) = await SessionAsync(command => command?.StartsWith("RCPT", StringComparison.Ordinal) == true
            ? "550-5.1.1 No such user\r\n250 2.1.5 Ok\r\n" : null);

        var answer = result!.Answers[1];
        Assert.True(answer.IsTemporary, answer.ToString());
        Assert.Empty(session.BodyLines);
        Assert.False(result.ConnectionUsable);
    }

    [Theory]
    [InlineData("600 5.1.1 No such user")]
    [InlineData("199 2.1.5 Ok")]
    [InlineData("000 Ok")]
    public async Task A_reply_code_outside_2xx_to_5xx_is_a_protocol_error_never_a_bounce(string rcpt)
    {
        var (result, _, session) = await SessionAsync(command => command?.StartsWith("RCPT", StringComparison.Ordinal) == true ? rcpt + "\r\n" : null);

        var answer = result!.Answers[1];
        Assert.Equal("4.4.2", answer.Status);
        Assert.True(answer.IsTemporary, answer.ToString());
        Assert.Empty(session.BodyLines);
    }

    /// <summary>A reply that is neither what was asked for nor a refusal must not become a recipient's answer: before,
    /// a 2xx to MAIL, RCPT or DATA reported the recipient delivered with no message sent, and a 354 to MAIL or to
    /// the end of the data was kept as an answer that is neither success nor failure.</summary>
    [Theory]
    [InlineData("MAIL", "251 2.1.0 Ok")]
    [InlineData("MAIL", "354 Start mail input")]
    [InlineData("RCPT", "252 2.1.5 Cannot VRFY user")]
    [InlineData("RCPT", "354 Start mail input")]
    [InlineData("DATA", "250 2.0.0 Ok: queued as 4Xk1Yz2abcz")]
    [InlineData(".", "354 End data with <CR><LF>.<CR><LF>")]
    public async Task A_success_or_354_where_it_does_not_belong_is_a_protocol_error_never_a_delivery(string verb, string reply)
    {
        var (result, _, session) = await SessionAsync(command => command?.Split(' ')[0] == verb ? reply + "\r\n" : null);

        var answer = result!.Answers[1];
        Assert.Equal("4.4.2", answer.Status);
        Assert.True(answer.IsTemporary, answer.ToString());
        Assert.False(result.ConnectionUsable);
        Assert.Equal(verb == "." ? "." : "DATA", session.Commands[^1].Split(' ')[0]);
    }

    /// <summary>A server that answers DATA with 354 and, in the same write, 250 has accepted a body it has not seen;
    /// before, the client sent the body, took that early 250 as the answer to the end of the data and reported the
    /// recipient delivered, then read the server's real answer (here a 550) as the answer to its next command.</summary>
    [Fact]
    public async Task A_reply_sent_before_its_command_ends_the_session_before_anything_more_is_sent()
    {
        var (result, _, session) = await SessionAsync(command => command switch
        {
            "DATA" => "354 End data with <CR><LF>.<CR><LF>\r\n250 2.0.0 Ok: queued as 4Xk1Yz2abcz\r\n",
            "." => "550 5.7.1 Message rejected as spam\r\n",
            _ => null,
        });

        var answer = result!.Answers[1];
        Assert.Equal("4.4.2", answer.Status);
        Assert.True(answer.IsTemporary, answer.ToString());
        Assert.Empty(session.BodyLines);
        Assert.DoesNotContain(".", session.Commands);
    }

    [Theory]
    [InlineData(null, "250 mx.destino.test ESMTP")]
    [InlineData(null, "354 mx.destino.test ESMTP")]
    [InlineData("HELO", "220 mx.destino.test")]
    public async Task A_greeting_or_helo_answered_with_a_wrong_code_is_a_temporary_refusal_never_a_success(string? verb, string reply)
    {
        var (_, refused, _) = await SessionAsync(command => command is null
            ? verb is null ? reply + "\r\n" : null
            : command.StartsWith("EHLO", StringComparison.Ordinal) ? "500 5.5.1 Command unrecognized\r\n"
            : command.StartsWith("HELO", StringComparison.Ordinal) ? reply + "\r\n" : null);

        Assert.NotNull(refused);
        Assert.Equal("4.4.1", refused.Answer.Status);
        Assert.True(refused.Answer.IsTemporary, refused.Answer.ToString());
    }

    [Fact]
    public async Task A_message_whose_mx_greets_with_250_stays_queued_and_is_not_recorded_delivered()
    {
        await using var h = await MtaHarness.StartAsync();
        h.Domain("destino.test");
        h.Sinks[0].Greeting = "250 mx0.destino.test ESMTP";
        var id = await h.QueueAsync("saludo", "ana@origen.test", Recipient);

        await h.RunAsync();

        var entry = (await h.Queue.GetAsync(id))!;
        Assert.Equal(OutboundState.Queued, entry.Recipients[0].State);
        Assert.Equal("4.4.1", entry.Recipients[0].Status);
        Assert.Empty(h.Sinks[0].Mail);
    }

    /// <summary>One session and one message to <see cref="Recipient"/> (queue id 1); <paramref name="reply"/> gives
    /// the raw reply to a command (null: the greeting), or null for what Postfix would say.</summary>
    private static async Task<(SendResult? Result, DeliveryConnectException? Refused, HostileSession Session)> SessionAsync(Func<string?, string?> reply)
    {
        await using var server = HostileSmtpServer.Start();
        var serving = server.ServeAsync(command => new HostileReply(Encoding.UTF8.GetBytes(reply(command) ?? Postfix(command)), [], false));
        SendResult? result = null;
        DeliveryConnectException? refused = null;
        try
        {
            var host = new DeliveryHost("mx.destino.test", 10, server.EndPoint.Address, server.EndPoint.Port);
            await using var connection = await SmtpDelivery.ConnectAsync(host, TlsRequirement.Opportunistic, "client.example.test", null,
                TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(10), CancellationToken.None);
            var data = Encoding.ASCII.GetBytes(HostileSmtpServer.BodyMark + " hello\r\n");
            result = await connection.SendAsync(new Envelope("ana@origen.test", [new EnvelopeRecipient(1, Recipient, null, null)], null, null),
                new OutgoingMessage(data, null, false), null, CancellationToken.None);
        }
        catch (DeliveryConnectException e)
        {
            refused = e;
        }
        return (result, refused, await serving);
    }

    private static string Postfix(string? command) => (command?.Split(' ', 2)[0].ToUpperInvariant()) switch
    {
        null => "220 mail.example.com ESMTP Postfix\r\n",
        "EHLO" => "250-mail.example.com\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-ENHANCEDSTATUSCODES\r\n250 8BITMIME\r\n",
        "MAIL" => "250 2.1.0 Ok\r\n",
        "RCPT" => "250 2.1.5 Ok\r\n",
        "DATA" => "354 End data with <CR><LF>.<CR><LF>\r\n",
        "." => "250 2.0.0 Ok: queued as 4Xk1Yz2abcz\r\n",
        "QUIT" => "221 2.0.0 Bye\r\n",
        _ => "250 2.0.0 Ok\r\n",
    };
}
