using System.Text;
using Estafeta.Mail.Feedback;
using Estafeta.Mail.Outbound;
using MimeKit;

namespace Estafeta.Mail.Tests.Fuzz;

/// <summary>The smallest inputs that showed each fault the feedback fuzz tests found.</summary>
public sealed class FeedbackFindingsTests
{
    private static string Dsn(string group) =>
        "From: MAILER-DAEMON@mx.example.net\r\nTo: bounce+1-2-3-abc@origen.test\r\nSubject: Undelivered Mail\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/report; report-type=delivery-status; boundary=\"b\"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nSorry.\r\n"
        + "--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.net\r\n\r\n" + group + "\r\n--b--\r\n";

    private static string Arf(string fields, string original = "Message-ID: <m-1@origen.test>\r\n") =>
        "From: fbl@isp.example\r\nTo: fbl@origen.test\r\nSubject: report\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: multipart/report; report-type=feedback-report; boundary=\"p\"\r\n\r\n--p\r\nContent-Type: text/plain\r\n\r\nA report.\r\n"
        + "--p\r\nContent-Type: message/feedback-report\r\n\r\n" + fields + "\r\n--p\r\nContent-Type: text/rfc822-headers\r\n\r\n" + original + "\r\n--p--\r\n";

    private static MimeMessage Load(string text) => MimeMessage.Load(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    private static BounceRecipient Bounce(string text) => Assert.Single(Assert.IsType<BounceReport>(BounceParser.Parse(Load(text))).Recipients);

    private static Complaint Complaint(string text) => Assert.IsType<Complaint>(ComplaintParser.Parse(Load(text)));

    [Fact]
    public void An_enhanced_code_after_a_long_run_of_spaces_is_found_in_time_growing_with_the_length()
    {
        // Each space was a place a code could start, and the rest of the text was copied there to be read.
        Assert.Equal("5.1.1", EnhancedStatus.Find(new string(' ', 2_000_000) + "550 5.1.1 no such user"));
    }

    [Fact]
    public void A_plain_bounce_without_a_code_gives_its_text_as_one_line()
    {
        var r = Bounce("From: MAILER-DAEMON@mx.example.net\r\nSubject: Undeliverable\r\n\r\nYour message\r\ncould not\rbe\0delivered.\r\n");
        Assert.Equal("Your message could not be delivered.", r.Diagnostic);
    }

    [Fact]
    public void A_plain_bounce_diagnostic_is_not_cut_inside_a_surrogate_pair()
    {
        var r = Bounce("From: MAILER-DAEMON@mx.example.net\r\nSubject: Undeliverable\r\n\r\n550 5.1.1 " + new string('x', 489) + "\ud83d\ude00 and more\r\n");
        Assert.Equal("550 5.1.1 " + new string('x', 489), r.Diagnostic);
    }

    [Fact]
    public void A_plain_bounce_keeps_only_addresses_of_a_possible_length()
    {
        var r = Bounce("From: MAILER-DAEMON@mx.example.net\r\nSubject: Undeliverable\r\n\r\n550 5.1.1 <" + new string('a', 400) + "@example.com>\r\n");
        Assert.Null(r.Address);
    }

    [Theory]
    [InlineData("Status: 5.1.1\t(unknown user)", "5.1.1")]
    [InlineData("Status: 5.1.1.1", null)]
    [InlineData("Status: permanent", null)]
    [InlineData("Status: 5.1.1;x", "5.1.1")]
    public void A_dsn_status_is_an_enhanced_code_or_none(string field, string? status)
    {
        var r = Bounce(Dsn($"Final-Recipient: rfc822; ana@example.net\r\nAction: failed\r\n{field}\r\n"));
        Assert.Equal(status, r.Status);
    }

    [Theory]
    [InlineData("Final-Recipient: rfc822; ana", null)]
    [InlineData("Final-Recipient: rfc822; ana@example.net, bea@example.net", null)]
    [InlineData("Final-Recipient: rfc822; =?utf-8?q?ana=00@example.net?=", null)]
    [InlineData("Final-Recipient: rfc822; <ana@example.net>", "ana@example.net")]
    public void A_dsn_recipient_is_an_address_or_none(string field, string? address)
    {
        var r = Bounce(Dsn($"{field}\r\nAction: failed\r\nStatus: 5.1.1\r\n"));
        Assert.Equal(address, r.Address);
    }

    [Fact]
    public void A_dsn_diagnostic_is_one_bounded_line()
    {
        var r = Bounce(Dsn("Final-Recipient: rfc822; ana@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 =?utf-8?q?no=00such=1Buser?=\r\n"));
        Assert.Equal("550 no such user", r.Diagnostic);
        var longer = Bounce(Dsn("Final-Recipient: rfc822; ana@example.net\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 " + new string('x', 5000) + "\r\n"));
        Assert.Equal(1000, longer.Diagnostic!.Length);
    }

    [Fact]
    public void An_arf_report_gives_addresses_only_where_they_look_like_addresses()
    {
        var c = Complaint(Arf("Feedback-Type: abuse\r\nOriginal-Mail-From: <>\r\nOriginal-Rcpt-To: b\r\n", "Return-Path: <x y@z>\r\nTo: ana, bea@example.net\r\nMessage-ID: <m-1@origen.test>\r\n"));
        Assert.Equal(("abuse", null, null, null, "m-1@origen.test"), (c.FeedbackType, c.OriginalMailFrom, c.OriginalRcptTo, c.OriginalReturnPath, c.OriginalMessageId));
        Assert.Equal(["bea@example.net"], c.OriginalTo);
    }

    [Fact]
    public void An_arf_report_gives_its_texts_as_bounded_lines()
    {
        var c = Complaint(Arf("Feedback-Type: =?utf-8?q?abuse=00X?=\r\nUser-Agent: =?utf-8?q?Agent=1B/1?=\r\nOriginal-Rcpt-To: <fran@isp.example>\r\n",
            "Message-ID: <" + new string('m', 2000) + "@origen.test>\r\n"));
        Assert.Equal(("abuse x", "Agent /1", "fran@isp.example"), (c.FeedbackType, c.UserAgent, c.OriginalRcptTo));
        Assert.Equal(998, c.OriginalMessageId!.Length);
    }
}
