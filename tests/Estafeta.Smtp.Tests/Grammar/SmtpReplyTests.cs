using System.Buffers;
using System.Text;

namespace Estafeta.Smtp.Tests.Grammar;

public sealed class SmtpReplyTests
{
    private static string Wire(SmtpReply reply)
    {
        var buffer = new ArrayBufferWriter<byte>();
        reply.WriteTo(buffer);
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    [Fact]
    public void A_single_line_reply_has_code_enhanced_code_and_text() =>
        Assert.Equal("250 2.1.5 Recipient ok\r\n", Wire(SmtpReplies.RecipientOk));

    [Fact]
    public void A_reply_without_enhanced_code_has_none() =>
        Assert.Equal("354 End data\r\n", Wire(new SmtpReply(354, "", "End data")));

    [Fact]
    public void An_empty_continuation_keeps_its_space() =>
        Assert.Equal("334 \r\n", Wire(new SmtpReply(334, "", "")));

    [Fact]
    public void A_multi_line_reply_uses_dashes_on_all_but_the_last_line() =>
        Assert.Equal("250-mx.test\r\n250-PIPELINING\r\n250 SIZE 10\r\n", Wire(new SmtpReply(250, "", "mx.test\nPIPELINING\nSIZE 10")));

    [Fact]
    public void Every_line_of_a_multi_line_reply_carries_the_enhanced_code() =>
        Assert.Equal("214-2.0.0 one\r\n214 2.0.0 two\r\n", Wire(new SmtpReply(214, "2.0.0", "one\ntwo")));

    [Fact]
    public void To_string_is_the_wire_form_without_the_last_line_end() =>
        Assert.Equal("550-5.1.1 a\r\n550 5.1.1 b", new SmtpReply(550, "5.1.1", "a\nb").ToString());

    [Theory]
    [InlineData(199, "")]
    [InlineData(600, "")]
    [InlineData(250, "5.0.0")]
    [InlineData(550, "2.0.0")]
    [InlineData(550, "5.0")]
    [InlineData(550, "5.a.0")]
    [InlineData(550, "5.1234.0")]
    [InlineData(354, "3.0.0")]
    public void Inconsistent_codes_are_refused(int code, string enhanced) =>
        Assert.ThrowsAny<ArgumentException>(() => new SmtpReply(code, enhanced, "text"));

    [Fact]
    public void Carriage_returns_in_the_text_are_refused() =>
        Assert.Throws<ArgumentException>(() => new SmtpReply(550, "5.0.0", "a\r\n550 injected"));

    [Fact]
    public void Replies_are_classified()
    {
        Assert.True(SmtpReplies.Ok.IsSuccess);
        Assert.True(new SmtpReply(354, "", "go").IsIntermediate);
        Assert.True(SmtpReplies.MailboxFull("a@b.test").IsTransientFailure);
        Assert.True(SmtpReplies.UnknownUser("a@b.test").IsPermanentFailure);
        Assert.False(default(SmtpReply).IsValid);
    }

    [Fact]
    public void Replies_are_values()
    {
        Assert.Equal(new SmtpReply(250, "2.0.0", "Ok"), SmtpReplies.Ok);
        var (code, enhanced, text) = SmtpReplies.Queued("ABC");
        Assert.Equal((250, "2.0.0", "Ok: queued as ABC"), (code, enhanced, text));
    }
}
