using System.Text;
using Estafeta.Smtp.Grammar;

namespace Estafeta.Smtp.Tests.Grammar;

public sealed class MailArgumentsTests
{
    private static (ReversePath? Path, SmtpReply Error) Parse(string argument, bool authenticated = false) =>
        Parse(Encoding.UTF8.GetBytes(argument), authenticated);

    private static (ReversePath? Path, SmtpReply Error) Parse(byte[] argument, bool authenticated = false) =>
        MailArguments.TryParse(argument, authenticated, out var path, out var error) ? (path, default) : (null, error);

    [Theory]
    [InlineData("FROM:<a@example.test>", "a@example.test")]
    [InlineData("from:<a@example.test>", "a@example.test")]
    [InlineData("From:<A.B@Example.TEST>", "A.B@Example.TEST")]
    [InlineData("FROM: <a@example.test>", "a@example.test")]
    [InlineData("FROM:<>", "")]
    [InlineData("FROM: <>", "")]
    [InlineData("FROM:<first.last+tag@sub.example.test>", "first.last+tag@sub.example.test")]
    [InlineData("FROM:<!#$%&'*+-/=?^_`{|}~@example.test>", "!#$%&'*+-/=?^_`{|}~@example.test")]
    [InlineData("FROM:<\"john doe\"@example.test>", "\"john doe\"@example.test")]
    [InlineData("FROM:<\"a\\\"b@c\"@example.test>", "\"a\\\"b@c\"@example.test")]
    [InlineData("FROM:<\"\"@example.test>", "\"\"@example.test")]
    [InlineData("FROM:<@relay.test:a@example.test>", "a@example.test")]
    [InlineData("FROM:<@relay.test,@other.test:a@example.test>", "a@example.test")]
    [InlineData("FROM:<a@[192.0.2.1]>", "a@[192.0.2.1]")]
    [InlineData("FROM:<a@[IPv6:2001:db8::1]>", "a@[IPv6:2001:db8::1]")]
    [InlineData("FROM:<a@[ipv6:::ffff:192.0.2.1]>", "a@[ipv6:::ffff:192.0.2.1]")]
    [InlineData("FROM:<a@x-1.example.test>", "a@x-1.example.test")]
    [InlineData("FROM:<a@localhost>", "a@localhost")]
    [InlineData("FROM:<a@example.test>   ", "a@example.test")]
    [InlineData("FROM:<josé@ejemplo.test> SMTPUTF8", "josé@ejemplo.test")]
    [InlineData("FROM:<a@bücher.test> SMTPUTF8", "a@bücher.test")]
    [InlineData("FROM:<\"josé lópez\"@ejemplo.test> SMTPUTF8", "\"josé lópez\"@ejemplo.test")]
    public void Valid_reverse_paths_are_parsed(string argument, string address)
    {
        var (path, error) = Parse(argument);
        Assert.True(path is not null, error.ToString());
        Assert.Equal(address, path.Address);
        Assert.Equal(address.Length == 0, path.IsNull);
    }

    [Theory]
    [InlineData("", "501 5.5.4")]
    [InlineData("TO:<a@example.test>", "501 5.5.4")]
    [InlineData("FROM", "501 5.5.4")]
    [InlineData("FROM:", "501 5.5.4")]
    [InlineData("FROM:   ", "501 5.5.4")]
    [InlineData("FROM:a@example.test", "501 5.1.7")]
    [InlineData("FROM:<a@example.test", "501 5.1.7")]
    [InlineData("FROM:<a@example.test>x", "501 5.1.7")]
    [InlineData("FROM:<a>", "501 5.1.7")]
    [InlineData("FROM:<a@>", "501 5.1.7")]
    [InlineData("FROM:<@example.test>", "501 5.1.7")]
    [InlineData("FROM:<a..b@example.test>", "501 5.1.7")]
    [InlineData("FROM:<.a@example.test>", "501 5.1.7")]
    [InlineData("FROM:<a.@example.test>", "501 5.1.7")]
    [InlineData("FROM:<a b@example.test>", "501 5.1.7")]
    [InlineData("FROM:<a@-example.test>", "501 5.1.7")]
    [InlineData("FROM:<a@example-.test>", "501 5.1.7")]
    [InlineData("FROM:<a@example..test>", "501 5.1.7")]
    [InlineData("FROM:<a@example.test.>", "501 5.1.7")]
    [InlineData("FROM:<a@exa_mple.test>", "501 5.1.7")]
    [InlineData("FROM:<a@[192.0.2.256]>", "501 5.1.7")]
    [InlineData("FROM:<a@[192.0.2]>", "501 5.1.7")]
    [InlineData("FROM:<a@[0192.0.2.1]>", "501 5.1.7")]
    [InlineData("FROM:<a@[IPv6:zz::1]>", "501 5.1.7")]
    [InlineData("FROM:<a@[IPv6:192.0.2.1]>", "501 5.1.7")]
    [InlineData("FROM:<a@[example.test]>", "501 5.1.7")]
    [InlineData("FROM:<\"unterminated@example.test>", "501 5.1.7")]
    [InlineData("FROM:<\"tab\there\"@example.test>", "501 5.1.7")]
    [InlineData("FROM:<@relay.test a@example.test>", "501 5.1.7")]
    [InlineData("FROM:<@relay.test,a@example.test>", "501 5.1.7")]
    [InlineData("FROM:<\u0085@example.test> SMTPUTF8", "501 5.1.7")]
    [InlineData("FROM:<<a@example.test>>", "501 5.1.7")]
    [InlineData("FROM:<josé@ejemplo.test>", "553 5.6.7")]
    [InlineData("FROM:<a@bücher.test>", "553 5.6.7")]
    public void Invalid_reverse_paths_are_refused(string argument, string reply)
    {
        var (path, error) = Parse(argument);
        Assert.Null(path);
        Assert.StartsWith(reply, error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Invalid_utf8_in_an_address_is_a_syntax_error_even_with_smtputf8()
    {
        var argument = Encoding.ASCII.GetBytes("FROM:<a\u00ff@example.test> SMTPUTF8");
        argument[7] = 0xff;
        var (path, error) = Parse(argument);
        Assert.Null(path);
        Assert.Equal(501, error.Code);
    }

    [Theory]
    [InlineData(64, true)]
    [InlineData(65, false)]
    public void Local_parts_are_limited_to_64_octets(int length, bool accepted)
    {
        var (path, error) = Parse($"FROM:<{new string('a', length)}@example.test>");
        Assert.Equal(accepted, path is not null);
        if (!accepted) Assert.Equal("501 5.1.7 Sender address too long", error.ToString());
    }

    [Fact]
    public void Paths_are_limited_to_256_octets()
    {
        var domain = string.Join('.', Enumerable.Repeat(new string('d', 60), 4)) + ".test"; // 248 octets
        Assert.NotNull(Parse($"FROM:<a@{domain}>").Path);
        var (path, error) = Parse($"FROM:<{new string('a', 6)}@{domain}>");
        Assert.Null(path);
        Assert.Equal(501, error.Code);
    }

    [Fact]
    public void Domain_labels_are_limited_to_63_octets()
    {
        Assert.NotNull(Parse($"FROM:<a@{new string('d', 63)}.test>").Path);
        Assert.Null(Parse($"FROM:<a@{new string('d', 64)}.test>").Path);
    }

    [Theory]
    [InlineData("SIZE=1000", 1000L)]
    [InlineData("size=0", 0L)]
    [InlineData("SIZE=99999999999999999999", long.MaxValue)]
    public void Size_is_parsed(string parameter, long size) =>
        Assert.Equal(size, Parse($"FROM:<a@example.test> {parameter}").Path!.Size);

    [Theory]
    [InlineData("BODY=7BIT", BodyType.SevenBit)]
    [InlineData("BODY=8BITMIME", BodyType.EightBitMime)]
    [InlineData("body=8bitmime", BodyType.EightBitMime)]
    public void Body_is_parsed(string parameter, BodyType body) =>
        Assert.Equal(body, Parse($"FROM:<a@example.test> {parameter}").Path!.Body);

    [Theory]
    [InlineData("RET=FULL", DsnReturn.Full)]
    [InlineData("RET=HDRS", DsnReturn.Headers)]
    [InlineData("ret=hdrs", DsnReturn.Headers)]
    public void Ret_is_parsed(string parameter, DsnReturn ret) =>
        Assert.Equal(ret, Parse($"FROM:<a@example.test> {parameter}").Path!.Return);

    [Theory]
    [InlineData("ENVID=QQ314159", "QQ314159")]
    [InlineData("ENVID=abc+2Bdef+3Dg", "abc+def=g")]
    [InlineData("ENVID=a+20b", "a b")]
    public void Envid_is_xtext_decoded(string parameter, string envelopeId) =>
        Assert.Equal(envelopeId, Parse($"FROM:<a@example.test> {parameter}").Path!.EnvelopeId);

    [Theory]
    [InlineData("AUTH=<>", true, "")]
    [InlineData("AUTH=alice+40example.test", true, "alice@example.test")]
    [InlineData("AUTH=alice+40example.test", false, "")]
    public void Auth_keeps_the_identity_only_for_authenticated_clients(string parameter, bool authenticated, string auth) =>
        Assert.Equal(auth, Parse($"FROM:<a@example.test> {parameter}", authenticated).Path!.Auth);

    [Fact]
    public void All_parameters_together_are_parsed()
    {
        var path = Parse("FROM:<josé@ejemplo.test> SIZE=12345 BODY=8BITMIME SMTPUTF8 RET=HDRS ENVID=X+2BY AUTH=<>").Path!;
        Assert.Equal(new ReversePath("josé@ejemplo.test")
        {
            Size = 12345,
            Body = BodyType.EightBitMime,
            SmtpUtf8 = true,
            Return = DsnReturn.Headers,
            EnvelopeId = "X+Y",
            Auth = "",
        }, path);
    }

    [Fact]
    public void Parameters_not_given_are_null()
    {
        var path = Parse("FROM:<a@example.test>").Path!;
        Assert.Equal(new ReversePath("a@example.test"), path);
        Assert.Null(path.Size);
        Assert.Null(path.Body);
        Assert.False(path.SmtpUtf8);
    }

    [Theory]
    [InlineData("SIZE")]
    [InlineData("SIZE=")]
    [InlineData("SIZE=abc")]
    [InlineData("SIZE=-1")]
    [InlineData("SIZE=123456789012345678901")]
    [InlineData("BODY=BINARYMIME")]
    [InlineData("BODY")]
    [InlineData("SMTPUTF8=yes")]
    [InlineData("RET=ALL")]
    [InlineData("RET")]
    [InlineData("ENVID=a+ZZ")]
    [InlineData("ENVID=a+2")]
    [InlineData("ENVID")]
    [InlineData("AUTH=bad+")]
    [InlineData("AUTH")]
    [InlineData("AUTH=a+0D+0ABcc:x@example.test")] // CR LF
    [InlineData("AUTH=a+00@example.test")] // NUL
    [InlineData("AUTH=a+7F@example.test")] // DEL
    [InlineData("AUTH=a+C2+85@example.test")] // NEL, a C1 control
    [InlineData("FOO=bar")]
    [InlineData("XFORWARD")]
    [InlineData("=x")]
    [InlineData("-SIZE=1")]
    [InlineData("SIZE=1=2")]
    [InlineData("SIZE=1 SIZE=2")]
    [InlineData("BODY=7BIT body=8BITMIME")]
    [InlineData("SMTPUTF8 SMTPUTF8")]
    [InlineData("NOTIFY=NEVER")]
    public void Bad_parameters_are_refused_with_555(string parameters)
    {
        var (path, error) = Parse($"FROM:<a@example.test> {parameters}");
        Assert.Null(path);
        Assert.Equal(555, error.Code);
        Assert.Equal("5.5.4", error.EnhancedCode);
    }

    [Fact]
    public void Envid_is_limited_to_100_characters()
    {
        Assert.NotNull(Parse($"FROM:<a@example.test> ENVID={new string('e', 100)}").Path);
        Assert.Equal(555, Parse($"FROM:<a@example.test> ENVID={new string('e', 101)}").Error.Code);
    }

    [Fact]
    public void Unknown_parameters_are_named_in_the_reply() =>
        Assert.Equal("555 5.5.4 Unsupported parameter FOO", Parse("FROM:<a@example.test> foo=bar").Error.ToString());

    [Fact]
    public void Duplicate_parameters_are_named_in_the_reply() =>
        Assert.Equal("555 5.5.4 Duplicate parameter SIZE", Parse("FROM:<a@example.test> SIZE=1 size=2").Error.ToString());

    [Fact]
    public void Source_routes_are_dropped_from_the_address() =>
        Assert.Equal("a@example.test", Parse("FROM:<@one.test,@two.test:a@example.test> SIZE=1").Path!.Address);
}
