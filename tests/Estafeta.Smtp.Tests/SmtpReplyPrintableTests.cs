using Estafeta.Smtp;
using Xunit;

namespace Estafeta.Smtp.Tests;

public sealed class SmtpReplyPrintableTests
{
    [Theory]
    [InlineData("report-1", 100, "report-1")]
    [InlineData("id\r\n250 forged", 100, "id??250 forged")]
    [InlineData("tab\there", 100, "tab?here")]
    [InlineData("Año", 100, "A?o")]
    [InlineData("abcdef", 3, "abc")]
    public void Text_from_outside_becomes_one_printable_line(string text, int max, string expected)
    {
        var printable = SmtpReply.Printable(text, max);

        Assert.Equal(expected, printable);
        var reply = new SmtpReply(250, "2.0.0", $"Ok: report {printable} stored");
        Assert.Single(reply.Lines);
    }
}
