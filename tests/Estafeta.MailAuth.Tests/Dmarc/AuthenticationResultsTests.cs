using Estafeta.MailAuth.Dmarc;

namespace Estafeta.MailAuth.Tests.Dmarc;

public sealed class AuthenticationResultsTests
{
    [Fact]
    public void The_builder_writes_one_field_with_every_result()
    {
        var field = new AuthenticationResultsBuilder("mx.estafeta.example")
            .AddSpf("pass", "bounce.example.com", comment: "192.0.2.1 is allowed")
            .AddDkim("pass", "example.com", "sel", "AbCdEfGhIjKl")
            .Add("dmarc=pass (p=reject dis=none) header.from=example.com")
            .AddArc("pass", oldestPass: 0, remoteIp: "192.0.2.1")
            .ToHeaderField();
        Assert.Equal(
            "Authentication-Results: mx.estafeta.example;\r\n"
            + "\tspf=pass (192.0.2.1 is allowed) smtp.mailfrom=bounce.example.com;\r\n"
            + "\tdkim=pass header.d=example.com header.s=sel header.b=AbCdEfGh;\r\n"
            + "\tdmarc=pass (p=reject dis=none) header.from=example.com;\r\n"
            + "\tarc=pass header.oldest-pass=0 smtp.remote-ip=192.0.2.1\r\n",
            field);
    }

    [Fact]
    public void A_field_without_results_says_none()
    {
        Assert.Equal("mx.example; none", new AuthenticationResultsBuilder("mx.example").ToString());
        Assert.True(AuthenticationResultsHeader.TryParse("mx.example; none", out var parsed, out var error), error);
        Assert.Empty(parsed!.Results);
    }

    [Theory]
    [InlineData("user@example.com", "user@example.com")]
    [InlineData("@example.com", "@example.com")]
    [InlineData("example.com", "example.com")]
    [InlineData("two words", "\"two words\"")]
    [InlineData("a;b", "\"a;b\"")]
    [InlineData("quote\"d", "\"quote\\\"d\"")]
    public void Property_values_are_quoted_when_they_must_be(string value, string written) =>
        Assert.Equal(written, AuthenticationResultsFormat.PropertyValue(value));

    [Fact]
    public void Comments_escape_parentheses_and_backslashes() =>
        Assert.Equal("spf=fail (a \\(b\\) c\\\\)", AuthenticationResult.Create("spf", "fail", "a (b) c\\").ToString());

    [Fact]
    public void A_real_microsoft_field_is_read_back_with_its_non_standard_properties()
    {
        const string value = "spf=pass (sender IP is 103.13.69.22)\r\n smtp.mailfrom=au-1.mimecastreport.com; dkim=pass (signature was verified)\r\n"
            + " header.d=au-1.mimecastreport.com;dmarc=pass action=none\r\n header.from=au-1.mimecastreport.com;compauth=pass reason=100";
        // Microsoft leaves out the authserv-id; a parser that wants one reads "spf=pass" as it.
        Assert.False(AuthenticationResultsHeader.TryParse(value, out _, out _));
        Assert.True(AuthenticationResultsHeader.TryParse("protection.outlook.com; " + value, out var header, out var error), error);
        Assert.Equal("protection.outlook.com", header!.AuthservId);
        Assert.Equal(["spf", "dkim", "dmarc", "compauth"], header.Results.Select(r => r.Method));
        var spf = header.Results[0];
        Assert.Equal("sender IP is 103.13.69.22", spf.Comment);
        Assert.Equal("au-1.mimecastreport.com", spf["smtp.mailfrom"]);
        Assert.Equal("none", header.Results[2]["action"]);
        Assert.Equal("100", header.Results[3].Reason);
    }

    [Fact]
    public void A_field_written_by_the_builder_parses_back_to_the_same_results()
    {
        var built = new AuthenticationResultsBuilder("mx.example")
            .AddSpf("softfail", "a b@example.com", "helo.example", "odd (comment)")
            .AddDkim("fail", "example.com", "s1", "xyz", "body hash did not verify")
            .Build();
        Assert.True(AuthenticationResultsHeader.TryParse(built.ToValue(), out var parsed, out var error), error);
        Assert.Equal(built.ToValue(), parsed!.ToValue());
        Assert.Equal("a b@example.com", parsed.Results[0]["smtp.mailfrom"]);
        Assert.Equal("odd (comment)", parsed.Results[0].Comment);
    }

    [Fact]
    public void An_arc_authentication_results_field_carries_its_instance()
    {
        const string value = " i=2; lists.example.org; spf=pass smtp.mailfrom=example.com;\r\n dkim=pass header.d=example.com; dmarc=pass header.from=example.com";
        Assert.True(AuthenticationResultsHeader.TryParseArc(value, out var header, out var error), error);
        Assert.Equal(2, header!.Instance);
        Assert.Equal("lists.example.org", header.AuthservId);
        Assert.Equal("pass", Assert.Single(header.ResultsFor("dmarc")).Result);
        Assert.StartsWith("i=2; lists.example.org;", header.ToValue(), StringComparison.Ordinal);
        Assert.False(AuthenticationResultsHeader.TryParseArc("lists.example.org; spf=pass", out _, out var missing));
        Assert.Contains("i=", missing, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("mx.example; spf", "expected \"=\"")]
    [InlineData("mx.example; spf=pass (unclosed", "unterminated comment")]
    [InlineData("mx.example; spf=pass smtp.mailfrom=\"open", "unterminated quoted string")]
    [InlineData("", "expected the authserv-id")]
    public void Broken_fields_are_refused_with_the_offset_and_the_problem(string value, string problem)
    {
        Assert.False(AuthenticationResultsHeader.TryParse(value, out _, out var error));
        Assert.Contains(problem, error, StringComparison.Ordinal);
        Assert.StartsWith("at offset ", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Method_versions_and_nested_comments_are_understood()
    {
        Assert.True(AuthenticationResultsHeader.TryParse("example.org 1; auth/1=pass (outer (inner) text) smtp.auth=sender@example.com", out var header, out var error), error);
        Assert.Equal("1", header!.Version);
        var result = Assert.Single(header.Results);
        Assert.Equal("1", result.MethodVersion);
        Assert.Equal("outer (inner) text", result.Comment);
        Assert.Equal("sender@example.com", result["smtp.auth"]);
    }
}
