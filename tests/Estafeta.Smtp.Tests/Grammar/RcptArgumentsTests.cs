using Estafeta.Smtp.Grammar;
using System.Text;

namespace Estafeta.Smtp.Tests.Grammar;

public sealed class RcptArgumentsTests
{
    private static (ForwardPath? Path, SmtpReply Error) Parse(string argument, bool smtpUtf8 = false) =>
        RcptArguments.TryParse(Encoding.UTF8.GetBytes(argument), smtpUtf8, out var path, out var error) ? (path, default) : (null, error);

    [Theory]
    [InlineData("TO:<b@example.test>", "b@example.test")]
    [InlineData("to:<b@example.test>", "b@example.test")]
    [InlineData("TO: <b@example.test>", "b@example.test")]
    [InlineData("TO:<Postmaster>", "Postmaster")]
    [InlineData("TO:<postmaster>", "postmaster")]
    [InlineData("TO:<POSTMASTER>", "POSTMASTER")]
    [InlineData("TO:<postmaster@example.test>", "postmaster@example.test")]
    [InlineData("TO:<\"b c\"@example.test>", "\"b c\"@example.test")]
    [InlineData("TO:<@relay.test:b@example.test>", "b@example.test")]
    [InlineData("TO:<b@[192.0.2.1]>", "b@[192.0.2.1]")]
    [InlineData("TO:<b@[IPv6:::1]>", "b@[IPv6:::1]")]
    public void Valid_forward_paths_are_parsed(string argument, string address) =>
        Assert.Equal(address, Parse(argument).Path?.Address);

    [Theory]
    [InlineData("", "501 5.5.4")]
    [InlineData("FROM:<b@example.test>", "501 5.5.4")]
    [InlineData("TO:", "501 5.5.4")]
    [InlineData("TO:<>", "501 5.1.3")]
    [InlineData("TO:<b>", "501 5.1.3")]
    [InlineData("TO:<postmasterx>", "501 5.1.3")]
    [InlineData("TO:b@example.test", "501 5.1.3")]
    [InlineData("TO:<b@example.test", "501 5.1.3")]
    [InlineData("TO:<b@@example.test>", "501 5.1.3")]
    [InlineData("TO:<b@example.test>>", "501 5.1.3")]
    [InlineData("TO:<josé@ejemplo.test>", "553 5.6.7")]
    [InlineData("TO:<b@bücher.test>", "553 5.6.7")]
    public void Invalid_forward_paths_are_refused(string argument, string reply)
    {
        var (path, error) = Parse(argument);
        Assert.Null(path);
        Assert.StartsWith(reply, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Utf8_recipients_are_accepted_when_the_transaction_has_smtputf8() =>
        Assert.Equal("josé@ejemplo.test", Parse("TO:<josé@ejemplo.test>", smtpUtf8: true).Path!.Address);

    /// <summary>NEL (U+0085) is valid UTF-8 but a control character: accepted, it reached the policy, whose reply
    /// quoting the address could not be made (a reply has no control characters), so the client got 451.</summary>
    [Theory]
    [InlineData("TO:<\u0085@example.test>")]
    [InlineData("TO:<b@example.\u0085test>")]
    [InlineData("TO:<\"\u009f\"@example.test>")]
    public void C1_controls_in_utf8_recipients_are_refused(string argument) =>
        Assert.StartsWith("501 5.1.3", Parse(argument, smtpUtf8: true).Error.ToString(), StringComparison.Ordinal);

    [Theory]
    [InlineData("NOTIFY=NEVER", DsnNotify.Never)]
    [InlineData("NOTIFY=SUCCESS", DsnNotify.Success)]
    [InlineData("NOTIFY=SUCCESS,FAILURE", DsnNotify.Success | DsnNotify.Failure)]
    [InlineData("notify=failure,delay", DsnNotify.Failure | DsnNotify.Delay)]
    [InlineData("NOTIFY=SUCCESS,FAILURE,DELAY", DsnNotify.Success | DsnNotify.Failure | DsnNotify.Delay)]
    public void Notify_is_parsed(string parameter, DsnNotify notify) =>
        Assert.Equal(notify, Parse($"TO:<b@example.test> {parameter}").Path!.Notify);

    [Theory]
    [InlineData("ORCPT=rfc822;b@example.test", "rfc822", "b@example.test")]
    [InlineData("ORCPT=rfc822;b+40example.test", "rfc822", "b@example.test")]
    [InlineData("ORCPT=utf-8;jos\\x{E9}+40ejemplo.test", "utf-8", "jos\\x{E9}@ejemplo.test")]
    public void Orcpt_is_parsed(string parameter, string type, string address) =>
        Assert.Equal(new OriginalRecipient(type, address), Parse($"TO:<b@example.test> {parameter}").Path!.OriginalRecipient);

    [Fact]
    public void Parameters_not_given_are_null()
    {
        var path = Parse("TO:<b@example.test>").Path!;
        Assert.Null(path.Notify);
        Assert.Null(path.OriginalRecipient);
    }

    [Theory]
    [InlineData("NOTIFY")]
    [InlineData("NOTIFY=")]
    [InlineData("NOTIFY=SOMETIMES")]
    [InlineData("NOTIFY=NEVER,SUCCESS")]
    [InlineData("NOTIFY=SUCCESS,")]
    [InlineData("NOTIFY=SUCCESS NOTIFY=FAILURE")]
    [InlineData("ORCPT")]
    [InlineData("ORCPT=rfc822")]
    [InlineData("ORCPT=;b@example.test")]
    [InlineData("ORCPT=rfc822;")]
    [InlineData("ORCPT=rfc822;b+4")]
    [InlineData("ORCPT=rfc822;b@example.test+0D+0ABcc:+20c@example.test")]
    [InlineData("ORCPT=rfc822;b+00@example.test")]
    [InlineData("ORCPT=utf-8;b+C2+85@example.test")]
    [InlineData("ORCPT=rfc(822);b@example.test")]
    [InlineData("SIZE=10")]
    [InlineData("BODY=8BITMIME")]
    public void Bad_parameters_are_refused_with_555(string parameters)
    {
        var (path, error) = Parse($"TO:<b@example.test> {parameters}");
        Assert.Null(path);
        Assert.Equal(555, error.Code);
        Assert.Equal("5.5.4", error.EnhancedCode);
    }

    [Fact]
    public void Orcpt_is_limited_to_500_characters()
    {
        Assert.NotNull(Parse($"TO:<b@example.test> ORCPT=rfc822;{new string('o', 500)}").Path);
        Assert.Null(Parse($"TO:<b@example.test> ORCPT=rfc822;{new string('o', 501)}").Path);
    }
}
