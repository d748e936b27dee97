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

}
