using Estafeta.MailAuth.PublicSuffix;
using Estafeta.Testing;

namespace Estafeta.MailAuth.Tests.Dmarc;

/// <summary>The classic test vectors of publicsuffix.org (tests/test_psl.txt), run against the shipped list.</summary>
public sealed class PublicSuffixListTests
{
    public static TheoryData<string, string?> Vectors => new()
    {
        { "COM", null },
        { "example.COM", "example.com" },
        { "WwW.example.COM", "example.com" },
        { ".com", null },
        { ".example", null },
        { ".example.com", null },
        { ".example.example", null },
        { "example", null },
        { "example.example", "example.example" },
        { "b.example.example", "example.example" },
        { "a.b.example.example", "example.example" },
        { "biz", null },
        { "domain.biz", "domain.biz" },
        { "b.domain.biz", "domain.biz" },
        { "com", null },
        { "a.b.example.com", "example.com" },
        { "uk.com", null },
        { "example.uk.com", "example.uk.com" },
        { "b.example.uk.com", "example.uk.com" },
        { "test.ac", "test.ac" },
        { "mm", null },
        { "c.mm", null },
        { "b.c.mm", "b.c.mm" },
        { "a.b.c.mm", "b.c.mm" },
        { "jp", null },
        { "test.jp", "test.jp" },
        { "www.test.jp", "test.jp" },
        { "ac.jp", null },
        { "test.ac.jp", "test.ac.jp" },
        { "kyoto.jp", null },
        { "test.kyoto.jp", "test.kyoto.jp" },
        { "ide.kyoto.jp", null },
        { "b.ide.kyoto.jp", "b.ide.kyoto.jp" },
        { "c.kobe.jp", null },
        { "b.c.kobe.jp", "b.c.kobe.jp" },
        { "city.kobe.jp", "city.kobe.jp" },
        { "www.city.kobe.jp", "city.kobe.jp" },
        { "ck", null },
        { "test.ck", null },
        { "b.test.ck", "b.test.ck" },
        { "a.b.test.ck", "b.test.ck" },
        { "www.ck", "www.ck" },
        { "www.www.ck", "www.ck" },
        { "us", null },
        { "test.us", "test.us" },
        { "www.test.us", "test.us" },
        { "ak.us", null },
        { "test.ak.us", "test.ak.us" },
        { "k12.ak.us", null },
        { "test.k12.ak.us", "test.k12.ak.us" },
        { "www.test.k12.ak.us", "test.k12.ak.us" },
        { "co.uk", null },
        { "example.co.uk", "example.co.uk" },
        { "www.example.co.uk", "example.co.uk" },
        { "食狮.com.cn", "食狮.com.cn" },
        { "食狮.公司.cn", "食狮.公司.cn" },
        { "www.食狮.公司.cn", "食狮.公司.cn" },
        { "shishi.公司.cn", "shishi.公司.cn" },
        { "公司.cn", null },
        { "食狮.中国", "食狮.中国" },
        { "www.食狮.中国", "食狮.中国" },
        { "shishi.中国", "shishi.中国" },
        { "中国", null },
        { "xn--85x722f.com.cn", "xn--85x722f.com.cn" },
        { "xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn" },
        { "www.xn--85x722f.xn--55qx5d.cn", "xn--85x722f.xn--55qx5d.cn" },
        { "shishi.xn--55qx5d.cn", "shishi.xn--55qx5d.cn" },
        { "xn--55qx5d.cn", null },
        { "xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s" },
        { "www.xn--85x722f.xn--fiqs8s", "xn--85x722f.xn--fiqs8s" },
        { "shishi.xn--fiqs8s", "shishi.xn--fiqs8s" },
        { "xn--fiqs8s", null },
    };

    [Theory]
    [MemberData(nameof(Vectors))]
    public void The_registrable_domain_matches_the_publicsuffix_org_test_vectors(string domain, string? expected) =>
        Assert.Equal(expected, PublicSuffixList.Default.GetRegistrableDomain(domain));

    [Fact]
    public void The_shipped_list_is_the_same_as_the_suite_copy()
    {
        Assert.True(TestSuites.TryFind("dmarc/public_suffix_list.dat", out var path, out var problem), problem);
        var fromFile = PublicSuffixList.LoadFile(path);
        Assert.Equal(fromFile.RuleCount, PublicSuffixList.Default.RuleCount);
        Assert.True(PublicSuffixList.Default.RuleCount > 9000);
    }

    [Fact]
    public void A_newer_list_can_be_loaded_from_disk()
    {
        var path = Path.Combine(Path.GetTempPath(), $"psl-{Guid.NewGuid():N}.dat");
        File.WriteAllText(path, "// a tiny list\nexample\n*.wild.example\n!keep.wild.example\n");
        try
        {
            var list = PublicSuffixList.LoadFile(path);
            Assert.Equal(3, list.RuleCount);
            Assert.Equal("a.example", list.GetRegistrableDomain("x.a.example"));
            Assert.Equal("b.c.wild.example", list.GetRegistrableDomain("a.b.c.wild.example"));
            Assert.Equal("keep.wild.example", list.GetRegistrableDomain("www.keep.wild.example"));
            Assert.Equal("co.uk", list.GetRegistrableDomain("www.co.uk"));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void An_empty_file_is_refused_as_a_failed_update()
    {
        var path = Path.Combine(Path.GetTempPath(), $"psl-{Guid.NewGuid():N}.dat");
        File.WriteAllText(path, "// nothing but comments\n\n");
        try
        {
            Assert.Throws<InvalidDataException>(() => PublicSuffixList.LoadFile(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("www.example.co.uk", "example.co.uk")]
    [InlineData("co.uk", "co.uk")]
    [InlineData("Mail.Example.COM.", "example.com")]
    public void The_rfc_7489_organizational_domain_is_the_registrable_domain_or_the_name_itself(string domain, string expected) =>
        Assert.Equal(expected, PublicSuffixList.Default.GetOrganizationalDomain(domain));
}
