using System.Net;
using Estafeta.MailAuth.Spf;

namespace Estafeta.MailAuth.Tests.Spf;

public sealed class SpfRecordParserTests
{
    [Fact]
    public void Record_is_parsed_into_mechanisms_and_modifiers()
    {
        var result = SpfRecordParser.Parse("v=spf1 ip4:192.0.2.0/24 -a:mail.example.com/28//64 ~mx ?include:_spf.example.net ptr exists:%{ir}.bl.example.org redirect=other.example exp=why.%{d} note=hello  ");

        var record = Assert.IsType<SpfRecord>(result.Record);
        Assert.Collection(record.Mechanisms,
            m =>
            {
                Assert.Equal(SpfMechanismKind.Ip4, m.Kind);
                Assert.Equal(IPAddress.Parse("192.0.2.0"), m.Network);
                Assert.Equal(24, m.Cidr4);
            },
            m =>
            {
                Assert.Equal((SpfMechanismKind.A, SpfQualifier.Fail), (m.Kind, m.Qualifier));
                Assert.Equal("mail.example.com", m.Domain!.Text);
                Assert.Equal((28, 64), (m.Cidr4, m.Cidr6));
            },
            m => Assert.Equal((SpfMechanismKind.Mx, SpfQualifier.SoftFail, (SpfMacroString?)null), (m.Kind, m.Qualifier, m.Domain)),
            m => Assert.Equal((SpfMechanismKind.Include, SpfQualifier.Neutral, "_spf.example.net"), (m.Kind, m.Qualifier, m.Domain!.Text)),
            m => Assert.Equal(SpfMechanismKind.Ptr, m.Kind),
            m => Assert.True(m.Domain!.HasMacros));
        Assert.Equal("other.example", record.Redirect!.Text);
        Assert.Equal("why.%{d}", record.Explanation!.Text);
        Assert.Equal("note", Assert.Single(record.UnknownModifiers).Name);
        Assert.Equal(6, record.DnsLookupTerms);
    }

    [Theory]
    [InlineData("v=spf1 ip4:192.0.2.1/33", 21, "exceed 32")]
    [InlineData("v=spf1 ip4:192.0.2.1/032", 21, "leading zeros")]
    [InlineData("v=spf1 ip4:192.0.02.1", 17, "without leading zeros")]
    [InlineData("v=spf1 mx -all moo", 15, "unknown mechanism 'moo'")]
    [InlineData("v=spf1 a:example.com:8080", 20, "not allowed in a top-level label")]
    [InlineData("v=spf1 a:museum", 9, "at least two labels")]
    [InlineData("v=spf1 a:abc.123", 13, "all numeric")]
    [InlineData("v=spf1 exists:%{x}.example.com", 16, "unknown macro letter 'x'")]
    [InlineData("v=spf1 exists:%{d0}.example.com", 17, "must not be zero")]
    [InlineData("v=spf1 -redirect=example.com", 7, "cannot have a qualifier")]
    [InlineData("v=spf1 -all/8", 11, "takes no argument")]
    [InlineData("v=spf1 ip6:2001:db8::1//64", 23, "not allowed in a prefix length")]
    [InlineData("v=spf1 a/24/64", 12, "exceed 32")]
    [InlineData("v=spf10", 0, "begins with \"v=spf1\"")]
    public void Syntax_errors_are_reported_with_their_position(string text, int position, string message)
    {
        var result = SpfRecordParser.Parse(text);

        Assert.Null(result.Record);
        var error = Assert.IsType<SpfSyntaxError>(result.Error);
        Assert.Equal(position, error.Position);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
        Assert.Equal(text, error.Text);
    }

    [Fact]
    public void Syntax_error_description_points_at_the_column()
    {
        var error = SpfRecordParser.Parse("v=spf1 a:mail.example.com\rptr -all").Error!;

        Assert.Equal("v=spf1 a:mail.example.com?ptr -all\n" + new string(' ', 25) + "^ character U+000D is not allowed here", error.Describe());
        Assert.Equal("column 26: character U+000D is not allowed here", error.ToString());
    }

    [Theory]
    [InlineData("v=spf1", true)]
    [InlineData("V=SpF1 -all", true)]
    [InlineData("v=spf10", false)]
    [InlineData("v=spf1mx", false)]
    [InlineData("spf1 -all", false)]
    public void Only_version_1_records_are_selected(string text, bool expected)
    {
        Assert.Equal(expected, SpfRecordParser.IsSpfRecord(text));
    }

    [Fact]
    public void Domain_spec_may_contain_colons_and_slashes_before_the_prefix_length()
    {
        var mechanism = Assert.Single(SpfRecordParser.Parse("v=spf1 a:foo:bar/baz.example.com/24").Record!.Mechanisms);

        Assert.Equal("foo:bar/baz.example.com", mechanism.Domain!.Text);
        Assert.Equal(24, mechanism.Cidr4);
    }
}
