using Estafeta.MailAuth.Dmarc;

namespace Estafeta.MailAuth.Tests.Dmarc;

public sealed class DmarcRecordParserTests
{
    public static TheoryData<string, string, string, string, string> ValidRecords => new()
    {
        // record, p, sp, np, adkim/aspf
        { "v=DMARC1; p=reject", "Reject", "", "", "Relaxed/Relaxed" },
        { "v=DMARC1;p=quarantine;sp=none;np=reject;adkim=s;aspf=s", "Quarantine", "None", "Reject", "Strict/Strict" },
        { "v=DMARC1 ;  p = none ; adkim=R;", "None", "", "", "Relaxed/Relaxed" },
        { "v=DMARC1; P=REJECT; SP=Quarantine", "Reject", "Quarantine", "", "Relaxed/Relaxed" },
        { "v=DMARC1; rua=mailto:d@example.com", "None", "", "", "Relaxed/Relaxed" },
        { "v=DMARC1; p=reject; aspf=s;;", "Reject", "", "", "Relaxed/Strict" },
        { "v=DMARC1", "", "", "", "" },
    };

    [Theory]
    [MemberData(nameof(ValidRecords))]
    public void Valid_records_parse_to_their_policies(string text, string p, string sp, string np, string alignment)
    {
        var ok = DmarcRecord.TryParse(text, out var record, out var error);
        if (p.Length == 0)
        {
            Assert.False(ok);
            Assert.NotNull(error);
            return;
        }
        Assert.True(ok, error?.ToString());
        Assert.Equal(p, record!.Policy.ToString());
        Assert.Equal(sp, record.SubdomainPolicy?.ToString() ?? "");
        Assert.Equal(np, record.NonexistentSubdomainPolicy?.ToString() ?? "");
        Assert.Equal(alignment, $"{record.DkimAlignment}/{record.SpfAlignment}");
    }

    public static TheoryData<string, int, string> FatalErrors => new()
    {
        { "", 0, "empty" },
        { "p=reject; v=DMARC1", 0, "must start with v=DMARC1" },
        { "v=DMARC2; p=reject", 2, "unsupported version \"DMARC2\"" },
        { "v=dmarc1; p=reject", 2, "exactly" },
        { "v DMARC1; p=reject", 2, "expected \"=\" after v" },
        { "v=DMARC1 p=reject", 8, "expected \";\" after v=DMARC1" },
        { "v=DMARC1; p=bogus", 10, "no valid p= and no valid rua=" },
        { "v=DMARC1; adkim=s", 17, "no valid p= and no valid rua=" },
    };

    [Theory]
    [MemberData(nameof(FatalErrors))]
    public void Unusable_records_are_refused_with_the_position_and_the_problem(string text, int position, string message)
    {
        Assert.False(DmarcRecord.TryParse(text, out var record, out var error));
        Assert.Null(record);
        Assert.Equal(position, error!.Position);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    public static TheoryData<string, string, int, string, string> Issues => new()
    {
        // record, kind, position, tag, message fragment
        { "v=DMARC1; p=reject; foo=bar", "UnknownTag", 20, "foo", "unknown tag foo= is ignored" },
        { "v=DMARC1; p=reject; adkim=x", "InvalidValue", 20, "adkim", "adkim=x is not r or s" },
        { "v=DMARC1; p=reject; psd=maybe", "InvalidValue", 20, "psd", "psd=maybe is not y, n or u" },
        { "v=DMARC1; p=reject; t=1", "InvalidValue", 20, "t", "t=1 is not y or n" },
        { "v=DMARC1; p=reject; pct=50", "ObsoleteTag", 20, "pct", "obsolete under RFC 9989" },
        { "v=DMARC1; p=reject; rf=afrf", "ObsoleteTag", 20, "rf", "obsolete under RFC 9989" },
        { "v=DMARC1; p=reject; ri=3600", "ObsoleteTag", 20, "ri", "obsolete under RFC 9989" },
        { "v=DMARC1; p=reject; p=none", "DuplicateTag", 20, "p", "more than once" },
        { "v=DMARC1; p=reject; =x", "Syntax", 20, "", "expected a tag name" },
        { "v=DMARC1; p=reject; sp", "Syntax", 22, "sp", "expected \"=\"" },
        { "v=DMARC1; p=reject; rua=http://example.com/r", "InvalidValue", 20, "rua", "only mailto: is supported" },
        { "v=DMARC1; p=reject; rua=mailto:nobody", "InvalidValue", 20, "rua", "does not hold one e-mail address" },
        { "v=DMARC1; p=reject; fo=2", "InvalidValue", 20, "fo", "fo= option \"2\"" },
        { "v=DMARC1; p=reject; v=DMARC1", "DuplicateTag", 20, "v", "more than once" },
        { "v=DMARC1; rua=mailto:a@example.com", "InvalidValue", 34, "p", "treated as p=none" },
    };

    [Theory]
    [MemberData(nameof(Issues))]
    public void Tag_problems_are_reported_with_their_position_and_the_record_is_still_used(string text, string kind, int position, string tag, string message)
    {
        Assert.True(DmarcRecord.TryParse(text, out var record, out var error), error?.ToString());
        var issue = Assert.Single(record!.Issues);
        Assert.Equal(kind, issue.Kind.ToString());
        Assert.Equal(position, issue.Position);
        Assert.Equal(tag, issue.Tag ?? "");
        Assert.Contains(message, issue.Message, StringComparison.Ordinal);
        Assert.StartsWith($"at offset {position}", issue.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Every_tag_is_read()
    {
        const string text = "v=DMARC1; p=quarantine; sp=reject; np=reject; psd=n; t=y; adkim=s; aspf=r; "
            + "rua=mailto:agg@example.com,mailto:other@reports.example!10m; ruf=mailto:forensic%21x@example.com; fo=1:d";
        Assert.True(DmarcRecord.TryParse(text, out var record, out var error), error?.ToString());
        Assert.True(record!.Issues.Count == 0, string.Join("; ", record.Issues));
        Assert.Equal(DmarcPsd.No, record.Psd);
        Assert.True(record.Testing);
        Assert.Equal(["agg@example.com", "other@reports.example"], record.AggregateReportUris.Select(u => u.Address));
        Assert.Equal(10L * 1024 * 1024, record.AggregateReportUris[1].MaxSize);
        Assert.Equal("forensic!x@example.com", Assert.Single(record.FailureReportUris).Address);
        Assert.Equal(["1", "d"], record.FailureReportingOptions);
        Assert.Equal(DmarcPolicy.Reject, record.PolicyFor(DmarcDomainRelation.NonexistentSubdomain));
    }

    [Fact]
    public void A_domain_relying_on_pct_is_flagged()
    {
        Assert.True(DmarcRecord.TryParse("v=DMARC1; p=reject; pct=10", out var record, out _));
        Assert.True(record!.HasObsoleteTags);
        Assert.True(record.ReliesOnPercent);
        Assert.Equal(10, record.Percent);
        Assert.True(DmarcRecord.TryParse("v=DMARC1; p=reject; pct=100", out var full, out _));
        Assert.False(full!.ReliesOnPercent);
    }

    [Fact]
    public void Subdomain_and_nonexistent_policies_fall_back_in_order()
    {
        Assert.True(DmarcRecord.TryParse("v=DMARC1; p=reject", out var onlyP, out _));
        Assert.Equal(DmarcPolicy.Reject, onlyP!.PolicyFor(DmarcDomainRelation.NonexistentSubdomain));
        Assert.True(DmarcRecord.TryParse("v=DMARC1; p=reject; sp=none", out var withSp, out _));
        Assert.Equal(DmarcPolicy.None, withSp!.PolicyFor(DmarcDomainRelation.Subdomain));
        Assert.Equal(DmarcPolicy.None, withSp.PolicyFor(DmarcDomainRelation.NonexistentSubdomain));
        Assert.Equal(DmarcPolicy.Reject, withSp.PolicyFor(DmarcDomainRelation.SameDomain));
    }

    [Theory]
    [InlineData("v=DMARC1; p=none", true)]
    [InlineData("v=DMARC1", true)]
    [InlineData("v=spf1 -all", false)]
    [InlineData("v=DMARC10; p=none", false)]
    [InlineData("some other text", false)]
    public void Only_records_starting_with_the_version_count_as_dmarc(string text, bool expected) =>
        Assert.Equal(expected, DmarcRecord.LooksLikeDmarc(text));
}
