using Estafeta.Mail.Outbound.MtaSts;

namespace Estafeta.Mail.Tests.Fuzz;

/// <summary>The smallest inputs that showed each fault the MTA-STS fuzz tests found.</summary>
public sealed class MtaStsFindingsTests
{
    private const string Head = "version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\n";

    [Theory]
    [InlineData("max_age: 9223372036854775807")]
    [InlineData("max_age: 00000000001")]
    [InlineData("max_age: 86400\r\nmax_age: soon")]
    public void A_max_age_that_is_not_1_to_10_digits_is_refused(string line)
    {
        Assert.Null(MtaStsPolicy.Parse("1", Head + line + "\r\n", out var reason));
        Assert.Equal("max_age is not a number of 1 to 10 digits", reason);
    }

    [Fact]
    public void A_max_age_of_up_to_ten_digits_is_accepted_and_kept_at_most_a_year()
    {
        Assert.Equal(TimeSpan.FromSeconds(31_557_600), MtaStsPolicy.Parse("1", Head + "max_age: 31557600\r\n")!.MaxAge);
        Assert.Equal(TimeSpan.Zero, MtaStsPolicy.Parse("1", Head + "max_age: 0000000000\r\n")!.MaxAge);
        // Beyond the year §3.2 allows: kept for a year rather than refused, which would leave the domain without a policy.
        Assert.Equal(TimeSpan.FromSeconds(31_557_600), MtaStsPolicy.Parse("1", Head + "max_age: 31557601\r\n")!.MaxAge);
        Assert.Equal(TimeSpan.FromSeconds(31_557_600), MtaStsPolicy.Parse("1", Head + "max_age: 9999999999\r\n")!.MaxAge);
    }

    [Theory]
    [InlineData("mx:")]
    [InlineData("mx: mx one.example.com")]
    [InlineData("mx: *")]
    [InlineData("mx: *.*.example.com")]
    [InlineData("mx: mx..example.com")]
    [InlineData("mx: -mx.example.com")]
    [InlineData("mx: mx.example.com\0")]
    [InlineData("mx: mx.exámple.com")]
    public void An_mx_line_that_is_not_a_host_name_pattern_is_refused(string line)
    {
        Assert.Null(MtaStsPolicy.Parse("1", "version: STSv1\r\nmode: testing\r\n" + line + "\r\nmax_age: 86400\r\n", out var reason));
        Assert.Equal("an mx line is not a host name, nor \"*.\" and a host name", reason);
    }

    [Theory]
    [InlineData("version: STSv1\r\nmode: enforce\u00a0\r\nmx: mx.example.com\r\nmax_age: 86400\r\n", "the mode is not enforce, testing or none")]
    [InlineData("\u2028version: STSv1\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n", "no version line")]
    [InlineData("version: STSv1\r\r\nmode: enforce\r\nmx: mx.example.com\r\nmax_age: 86400\r\n", "the version is not STSv1")]
    public void Only_space_and_tab_are_whitespace_around_a_field_and_only_lf_or_crlf_ends_a_line(string text, string expected)
    {
        Assert.Null(MtaStsPolicy.Parse("1", text, out var reason));
        Assert.Equal(expected, reason);
    }

    [Theory]
    [InlineData("v=STSv10; id=1", false)]
    [InlineData("v=STSv1x;id=1", false)]
    [InlineData("v=STSv1 ; id=1", true)]
    [InlineData("v=STSv1", true)]
    public void Only_a_record_of_version_STSv1_counts(string record, bool counts) =>
        Assert.Equal(counts ? 1 : 0, MtaStsRecord.Among([record, "v=spf1 -all"]).Count);

    [Theory]
    [InlineData("v=STSv1; id=abc; garbage", null)]
    [InlineData("v=STSv1; id=abc\u00a0", null)]
    [InlineData("v=STSv1; id=abc;; ext=1", null)]
    [InlineData("v=STSv1; ext=a=b; id=abc", null)]
    [InlineData("v=STSv1; id=abc; ext-1.x=v;", "abc")]
    [InlineData("v=STSv1;id=abc\t;\t", "abc")]
    public void A_record_gives_its_id_only_when_it_is_of_the_rfc_grammar(string record, string? id) =>
        Assert.Equal(id, MtaStsRecord.IdOf(record));
}
