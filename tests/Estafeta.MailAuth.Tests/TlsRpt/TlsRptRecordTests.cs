using Estafeta.MailAuth.TlsRpt;

namespace Estafeta.MailAuth.Tests.TlsRpt;

/// <summary>The <c>_smtp._tls</c> record as a sending MTA reads it (RFC 8460 §3).</summary>
public sealed class TlsRptRecordTests
{
    [Theory]
    [InlineData("v=TLSRPTv1; rua=mailto:tls@informes.test", "tls@informes.test")]
    [InlineData("v=TLSRPTv1;rua=mailto:a@informes.test,mailto:b@informes.test", "a@informes.test b@informes.test")]
    [InlineData("v=TLSRPTv1; rua=mailto:a@informes.test, https://informes.test/tlsrpt", "a@informes.test")]
    [InlineData("v=TLSRPTv1; rua=https://informes.test/tlsrpt", "")]
    [InlineData("v=TLSRPTv1; rua=mailto:a@informes.test,ftp://informes.test/x", "a@informes.test")] // any URI is valid (§3 ABNF); ftp: is just not used
    [InlineData("v=TLSRPTv1; rua=mailto:tls%2Breports@informes.test?subject=TLS%20report", "tls+reports@informes.test")]
    [InlineData("v=TLSRPTv1; ext=1; rua=mailto:a@informes.test", "a@informes.test")] // unknown fields are ignored
    public void The_one_valid_record_gives_its_mailto_addresses(string txt, string addresses)
    {
        var record = TlsRptRecord.Select(["v=spf1 -all", txt]);
        Assert.NotNull(record);
        Assert.Equal(addresses, string.Join(' ', record.MailtoAddresses));
    }

    [Theory]
    [InlineData("v=TLSRPTv1;")] // no rua=
    [InlineData("v=TLSRPTv1; rua=tls@informes.test")] // not a URI
    [InlineData("v=TLSRPTv1; rua=mailto:a@informes.test; rua=mailto:b@informes.test")]
    [InlineData("v=TLSRPTv1; rua")]
    public void An_invalid_record_means_no_reports(string txt)
    {
        Assert.Null(TlsRptRecord.Select([txt]));
    }

    [Fact]
    public void Two_records_mean_no_reports_and_other_txt_strings_do_not_count()
    {
        Assert.Null(TlsRptRecord.Select(["v=TLSRPTv1; rua=mailto:a@informes.test", "v=TLSRPTv1; rua=mailto:b@informes.test"]));
        Assert.Null(TlsRptRecord.Select(["v=TLSRPTv1; rua=mailto:a@informes.test", "v=TLSRPTv1;"]));
        Assert.Null(TlsRptRecord.Select([]));
        Assert.Null(TlsRptRecord.Select(["v=TLSRPTv10; rua=mailto:a@informes.test"]));
        Assert.Equal("a@informes.test", Assert.Single(TlsRptRecord.Select(["v=TLSRPTv10; rua=mailto:x@informes.test", "v=TLSRPTv1; rua=mailto:a@informes.test"])!.MailtoAddresses));
    }

    [Fact]
    public void Uris_of_other_schemes_are_kept_apart_for_domain_check()
    {
        Assert.True(TlsRptRecord.TryParse("v=TLSRPTv1; rua=mailto:a@x.test,https://x.test/r,ftp://x.test", out var record, out _));
        Assert.Equal("ftp://x.test", Assert.Single(record!.UnsupportedUris));
        Assert.Equal(3, record.ReportUris.Count);
    }
}
