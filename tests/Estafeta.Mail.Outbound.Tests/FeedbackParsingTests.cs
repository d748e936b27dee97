using System.Text;
using Estafeta.Mail.Feedback;
using MimeKit;

namespace Estafeta.Mail.Outbound.Tests;

public sealed class FeedbackParsingTests
{
    private static MimeMessage Parse(string text) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text.Replace("\n", "\r\n", StringComparison.Ordinal))));

    [Theory]
    [InlineData("5.1.1", "550 5.1.1 The email account that you tried to reach does not exist", BounceClass.Hard)]
    [InlineData("5.2.2", "552 5.2.2 The email account that you tried to reach is over quota", BounceClass.MailboxFull)]
    [InlineData("4.2.2", "452 4.2.2 Mailbox full", BounceClass.MailboxFull)]
    [InlineData("5.7.1", "550 5.7.1 Our system has detected that this message is likely unsolicited mail", BounceClass.Blocked)]
    [InlineData("5.7.606", "550 5.7.606 Access denied, banned sending IP", BounceClass.Blocked)]
    [InlineData("5.0.0", "554 Message not allowed - [PH01] Email not accepted for policy reasons", BounceClass.Blocked)]
    [InlineData("4.7.0", "421 4.7.0 [TSS04] Messages from 192.0.2.1 temporarily deferred due to user complaints", BounceClass.Blocked)]
    [InlineData("4.4.1", "451 4.4.1 Connection timed out", BounceClass.Soft)]
    [InlineData("5.3.4", "552 5.3.4 Message size exceeds fixed limit", BounceClass.Soft)]
    [InlineData("5.2.1", "550 5.2.1 The email account that you tried to reach is disabled", BounceClass.Hard)]
    [InlineData(null, "550 Requested action not taken: mailbox unavailable", BounceClass.Hard)]
    public void Failures_are_classified_by_status_code_and_words(string? status, string text, BounceClass expected) =>
        Assert.Equal(expected, BounceClassifier.Classify(status, text));

    [Fact]
    public void Rfc3464_dsn_is_read_per_recipient()
    {
        var dsn = Parse("""
            From: MAILER-DAEMON@mx.example.net
            To: bounce+x@origen.test
            Subject: Undelivered Mail
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=delivery-status; boundary="b"

            --b
            Content-Type: text/plain

            Sorry.
            --b
            Content-Type: message/delivery-status

            Reporting-MTA: dns; mx.example.net

            Final-Recipient: rfc822; ana@example.net
            Action: failed
            Status: 5.1.1
            Remote-MTA: dns; mail.example.net
            Diagnostic-Code: smtp; 550 5.1.1 <ana@example.net>: Recipient address rejected: User unknown

            Final-Recipient: rfc822; bea@example.net
            Action: delayed
            Status: 4.4.1
            --b--
            """);
        var report = Assert.IsType<BounceReport>(BounceParser.Parse(dsn));
        Assert.True(report.Standard);
        Assert.Equal(2, report.Recipients.Count);
        Assert.Equal(("ana@example.net", "failed", "5.1.1", BounceClass.Hard, "mail.example.net"),
            (report.Recipients[0].Address, report.Recipients[0].Action, report.Recipients[0].Status, report.Recipients[0].Class, report.Recipients[0].RemoteMta));
        Assert.Equal(("delayed", BounceClass.Soft), (report.Recipients[1].Action, report.Recipients[1].Class));
    }

    [Fact]
    public void Exim_style_plain_text_bounce_is_read_from_its_words()
    {
        var bounce = Parse("""
            From: Mail Delivery System <Mailer-Daemon@mail.example.org>
            To: bounce+x@origen.test
            Subject: Mail delivery failed: returning message to sender
            X-Failed-Recipients: cris@example.org

            This message was created automatically by mail delivery software.

            A message that you sent could not be delivered to one or more of its
            recipients. This is a permanent error. The following address(es) failed:

              cris@example.org
                host mx.example.org [192.0.2.7]
                SMTP error from remote mail server after RCPT TO:<cris@example.org>:
                550 5.2.2 cris@example.org: mailbox is full
            """);
        var report = Assert.IsType<BounceReport>(BounceParser.Parse(bounce));
        Assert.False(report.Standard);
        var r = Assert.Single(report.Recipients);
        Assert.Equal(("cris@example.org", "failed", "5.2.2", BounceClass.MailboxFull), (r.Address, r.Action, r.Status, r.Class));
    }

    [Fact]
    public void Qmail_style_bounce_without_enhanced_code_is_read_from_its_reply_code()
    {
        var bounce = Parse("""
            From: MAILER-DAEMON@qmail.example.com
            To: bounce+x@origen.test
            Subject: failure notice

            Hi. This is the qmail-send program at qmail.example.com.
            I'm afraid I wasn't able to deliver your message to the following addresses.
            This is a permanent error; I've given up. Sorry it didn't work out.

            <dani@example.com>:
            192.0.2.9 does not like recipient.
            Remote host said: 550 sorry, no mailbox here by that name
            """);
        var r = Assert.Single(Assert.IsType<BounceReport>(BounceParser.Parse(bounce)).Recipients);
        Assert.Equal(("dani@example.com", "failed", BounceClass.Hard), (r.Address, r.Action, r.Class));
    }

    [Fact]
    public void A_plain_bounce_with_a_long_run_of_letters_still_gives_the_address_after_it()
    {
        // The address search runs without backtracking; with it, a run of letters without an address took time growing
        // with the square of its length (a minute for 2 MB from anyone who mails a bounce address).
        var bounce = Parse("From: MAILER-DAEMON@qmail.example.com\nTo: bounce+x@origen.test\nSubject: failure notice\n\n"
            + "I'm afraid I wasn't able to deliver your message to the following addresses.\n"
            + new string('a', 300_000) + "\n<dani.perez@example.com>: Remote host said: 550 sorry, no mailbox here by that name\n");
        var r = Assert.Single(Assert.IsType<BounceReport>(BounceParser.Parse(bounce)).Recipients);
        Assert.Equal(("dani.perez@example.com", "failed"), (r.Address, r.Action));
    }

    [Fact]
    public void An_auto_reply_is_not_a_bounce()
    {
        var reply = Parse("""
            From: Eva <eva@example.com>
            To: bounce+x@origen.test
            Subject: Fuera de la oficina

            Estoy de vacaciones hasta el lunes.
            """);
        Assert.Null(BounceParser.Parse(reply));
    }

    [Fact]
    public void Arf_report_gives_the_feedback_type_and_the_original_message()
    {
        var arf = Parse("""
            From: fbl@isp.example
            To: abuse@origen.test
            Subject: FW: Oferta
            MIME-Version: 1.0
            Content-Type: multipart/report; report-type=feedback-report; boundary="part"

            --part
            Content-Type: text/plain

            This is an email abuse report.
            --part
            Content-Type: message/feedback-report

            Feedback-Type: abuse
            User-Agent: SomeGenerator/1.0
            Version: 1
            Original-Mail-From: <bounce+1-2-3-abc@origen.test>
            Original-Rcpt-To: <fran@isp.example>

            --part
            Content-Type: text/rfc822-headers

            Return-Path: <bounce+1-2-3-abc@origen.test>
            From: Noticias <noticias@origen.test>
            To: fran@isp.example
            Subject: Oferta
            Message-ID: <oferta-1@origen.test>
            --part--
            """);
        var c = Assert.IsType<Complaint>(ComplaintParser.Parse(arf));
        Assert.Equal(("abuse", "fran@isp.example", "oferta-1@origen.test", "bounce+1-2-3-abc@origen.test"),
            (c.FeedbackType, c.OriginalRcptTo, c.OriginalMessageId, c.OriginalReturnPath));
        Assert.Equal(["fran@isp.example"], c.OriginalTo);
        Assert.Null(ComplaintParser.Parse(Parse("From: a@b.test\nSubject: x\n\nhola\n")));
    }
}
