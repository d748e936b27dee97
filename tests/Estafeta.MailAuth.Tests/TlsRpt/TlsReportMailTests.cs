using Estafeta.MailAuth.TlsRpt;
using MimeKit;

namespace Estafeta.MailAuth.Tests.TlsRpt;

/// <summary>How a TLS report mail is told from other mail (RFC 8460 §5.3) where both arrive (postmaster@).</summary>
public sealed class TlsReportMailTests
{
    [Fact]
    public void A_report_mail_is_recognised_by_its_header_fields_its_content_type_or_a_tlsrpt_part()
    {
        Assert.True(IsReport(Mail(m => m.Headers.Add("TLS-Report-Domain", "ejemplo.test"))));
        Assert.True(IsReport(Mail(m => m.Headers.Add("TLS-Report-Submitter", "remitente.test"))));
        Assert.True(IsReport(Mail(m => m.Body = new MultipartReport("tlsrpt") { new TextPart("plain") { Text = "report" } })));
        Assert.True(IsReport(Mail(m => m.Body = new MimePart("application", "tlsrpt+gzip") { Content = new MimeContent(new MemoryStream([0x1f, 0x8b])) })));
        Assert.True(IsReport(Mail(m => m.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "see attached" },
            new Multipart("alternative") { new MimePart("application", "tlsrpt+json") { Content = new MimeContent(new MemoryStream("{}"u8.ToArray())) } },
        })));
    }

    [Fact]
    public void Other_mail_is_not_taken_for_a_report()
    {
        Assert.False(IsReport(Mail(_ => { })));
        Assert.False(IsReport(Mail(m => m.Body = new MultipartReport("delivery-status") { new TextPart("plain") { Text = "bounce" } })));
        Assert.False(IsReport(Mail(m => m.Body = new Multipart("mixed")
        {
            new TextPart("plain") { Text = "a report, forwarded" },
            new MimePart("application", "json") { Content = new MimeContent(new MemoryStream("{}"u8.ToArray())), FileName = "report.json" },
        })));
    }

    private static byte[] Mail(Action<MimeMessage> shape)
    {
        var message = new MimeMessage();
        message.From.Add(MailboxAddress.Parse("tlsrpt@remitente.test"));
        message.To.Add(MailboxAddress.Parse("postmaster@ejemplo.test"));
        message.Subject = "Report";
        message.Body = new TextPart("plain") { Text = "Hola" };
        shape(message);
        using var output = new MemoryStream();
        message.WriteTo(output);
        return output.ToArray();
    }

    private static bool IsReport(byte[] mail)
    {
        var headers = HeaderList.Load(new MemoryStream(mail));
        return TlsReportMail.IsReport(headers, () => new MemoryStream(mail, writable: false));
    }
}
